import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

/// A ReplicaSet's pods while the injector's istiod is down: refused under `failurePolicy: Fail`
/// (a `FailedCreate` event with the API server's message, retried with backoff, injected once
/// istiod is back), created without a sidecar under `Ignore`.
struct InjectorOutageTests {
    typealias Install = IstioInstallTests
    static let refusal =
        "Error creating: Internal error occurred: failed calling webhook \"sidecar-injector.istio.io\": Post https://istiod.istio-system.svc:443/inject?timeout=30s: no endpoints available for service \"istiod\""

    /// The default world with 1.5.4, istiod scaled to 0 and gone, and one details pod deleted.
    static func outage() throws -> World {
        var world = World.defaultWorld(config: WorldConfig(seed: 11), now: Install.now, istio: .v1_5_4)
        _ = try world.patch(
            ObjectKey(.deployments, namespace: "istio-system", name: "istiod"), patch: ["spec": ["replicas": 0]], type: .merge,
            admission: Install.admission)
        Install.advance(&world, steps: 5)
        let ready = world.istioRevisions().flatMap(\.readyPods)
        #expect(ready.isEmpty)
        let details = try #require(world.pods(in: "default").first { $0.name.hasPrefix("details-v1-") })
        _ = try world.delete(ObjectKey(.pods, namespace: "default", name: details.name), admission: Install.admission)
        Install.advance(&world, steps: 3)
        return world
    }

    static func detailsPods(_ world: World) -> [PodView] {
        world.pods(in: "default").filter { $0.name.hasPrefix("details-v1-") && !$0.isTerminating }
    }

    static func failedCreate(_ world: World) -> [KubeObject] {
        world.list(.events, namespace: "default").filter { $0.body["reason"] == "FailedCreate" }
    }

    @Test func theReplacementIsRefusedThenInjectedOnceIstiodIsBack() throws {
        var world = try Self.outage()
        #expect(Self.detailsPods(world).isEmpty)
        let failed = try #require(Self.failedCreate(world).first)
        #expect(failed.body["message"] == .string(Self.refusal))
        #expect(failed.body["involvedObject"]?["kind"] == "ReplicaSet" && (failed.body["count"]?.intValue ?? 0) > 1)

        _ = try world.patch(
            ObjectKey(.deployments, namespace: "istio-system", name: "istiod"), patch: ["spec": ["replicas": 1]], type: .merge,
            admission: Install.admission)
        Install.advance(&world, steps: 8)
        let pods = Self.detailsPods(world)
        #expect(pods.count == 1 && pods[0].containerNames == ["details", "istio-proxy"], "\(pods.map(\.containerNames))")
        #expect(world.proxies(in: "default").contains { $0.pod.name == pods.first?.name && $0.istioVersion == "1.5.4" })
    }

    @Test func underIgnoreThePodIsCreatedWithoutTheSidecar() throws {
        var world = try Self.outage()
        var injector = try #require(world.get(ObjectKey(.mutatingWebhookConfigurations, name: "istio-sidecar-injector")))
        injector.body["webhooks"] = .array(
            (injector.body["webhooks"]?.arrayValue ?? []).map { var h = $0; h["failurePolicy"] = "Ignore"; return h })
        _ = try world.update(injector, admission: Install.admission)
        Install.advance(&world, steps: 3)
        let pods = Self.detailsPods(world)
        #expect(pods.count == 1 && pods[0].containerNames == ["details"], "\(pods.map(\.containerNames))")
    }
}
