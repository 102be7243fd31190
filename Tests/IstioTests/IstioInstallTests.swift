import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

/// What an install creates, the default world with 1.5.4, the seed's canary steps applied directly
/// to a world (gateway upgraded in place, relabel + restart moves pods), and the dead-istiod webhook
/// failures.
struct IstioInstallTests {
    static let now = Timestamp(seconds: 1_767_225_600)
    static let admission: [any AdmissionControl] = [SidecarInjector(), IstioConfigValidation()]

    static func names(_ objects: [KubeObject]) -> [String] {
        objects.map { "\($0.resource.kind)/\($0.name)" }.sorted()
    }

    @Test func canaryInstallOf160CreatesExactlyTheseObjects() {
        let manifest = IstioManifest(IstioInstallSpec(version: .v1_6_0, revision: "canary"))
        #expect(manifest.components.map(\.component.title) == ["Istio core", "Istiod", "Ingress gateways", "Addons"])
        #expect(
            Self.names(manifest.allObjects) == [
                "ConfigMap/istio-canary", "ConfigMap/istio-sidecar-injector-canary",
                "Deployment/istio-ingressgateway", "Deployment/istiod-canary", "Deployment/prometheus",
                "EnvoyFilter/metadata-exchange-1.6-canary", "EnvoyFilter/stats-filter-1.6-canary",
                "EnvoyFilter/tcp-metadata-exchange-1.6-canary", "EnvoyFilter/tcp-stats-filter-1.6-canary",
                "MutatingWebhookConfiguration/istio-sidecar-injector-canary",
                "Service/istio-ingressgateway", "Service/istiod-canary", "Service/prometheus",
                "ServiceAccount/istio-ingressgateway-service-account", "ServiceAccount/istio-reader-service-account",
                "ServiceAccount/istiod-service-account", "ServiceAccount/prometheus",
                "ValidatingWebhookConfiguration/istiod-istio-system",
            ])
        let istiod = manifest.allObjects.first { $0.name == "istiod-canary" && $0.resource == .deployments }!
        #expect(istiod.labels["istio.io/rev"] == "canary")
        #expect(istiod.spec[path: ["template", "metadata", "labels", "istio"]] == "istiod")
        #expect(istiod.spec[path: ["selector", "matchLabels"]] == ["app": "istiod", "istio.io/rev": "canary"])
        let mesh = manifest.allObjects.first { $0.name == "istio-canary" }!
        #expect(mesh.body["data"]?["mesh"]?.stringValue?.contains("discoveryAddress: istiod-canary.istio-system.svc:15012") == true)
        let validator = manifest.allObjects.first { $0.resource == .validatingWebhookConfigurations }!
        #expect(validator.body["webhooks"]?.arrayValue?.first?[path: ["clientConfig", "service", "name"]] == "istiod")
        // Only Pilot is revisioned.
        let gateway = manifest.allObjects.first { $0.name == "istio-ingressgateway" && $0.resource == .deployments }!
        #expect(gateway.labels["istio.io/rev"] == nil)
        #expect(gateway.labels["operator.istio.io/component"] == "IngressGateways")
    }

    @Test func seedConfigWithoutPrometheusAndWithStackdriver() throws {
        let spec = try IstioInstallSpec(
            operatorSpec: [
                "profile": "default", "revision": "v160", "addonComponents": ["prometheus": ["enabled": false]],
                "values": ["telemetry": ["v2": ["prometheus": ["enabled": false], "stackdriver": ["enabled": true]]]],
            ], version: .v1_6_0)
        let manifest = IstioManifest(spec)
        #expect(manifest.components.map(\.component.title) == ["Istio core", "Istiod", "Ingress gateways"])
        #expect(
            manifest.components[1].istioConfig.map(\.name) == [
                "metadata-exchange-1.6-v160", "stackdriver-filter-1.6-v160", "tcp-metadata-exchange-1.6-v160",
            ])
    }

    @Test func defaultWorldRunsBookinfoInjectedBy154() {
        let world = World.defaultWorld(config: WorldConfig(seed: 42), now: Self.now, istio: .v1_5_4)
        let system = world.pods(in: "istio-system")
        #expect(system.count == 2)
        #expect(system.allSatisfy { $0.isReady })
        #expect(system.map(\.name).filter { $0.hasPrefix("istiod-") }.count == 1)
        #expect(system.map(\.name).filter { $0.hasPrefix("istio-ingressgateway-") }.count == 1)
        let proxies = world.proxies()
        #expect(proxies.count == 7)
        #expect(proxies.allSatisfy { $0.istioVersion == "1.5.4" && $0.revision == "default" })
        #expect(proxies.allSatisfy { $0.discoveryAddress == "istiod.istio-system.svc:15012" })
        #expect(proxies.filter { $0.kind == .router }.map(\.pod.namespace) == ["istio-system"])
        let bookinfo = world.pods(in: "default")
        #expect(bookinfo.count == 6 && bookinfo.allSatisfy { $0.isReady && $0.containerNames.count == 2 })
        // 1.5 did not label injected pods with a revision.
        #expect(bookinfo.allSatisfy { $0.labels["istio.io/rev"] == nil })
        #expect(world.istioRevisions().map(\.name) == ["default"])
        let validator = world.get(ObjectKey(.validatingWebhookConfigurations, name: "istiod-istio-system"))
        #expect(validator?.body["webhooks"]?.arrayValue?.first?["failurePolicy"] == "Fail")
    }

    /// Creates or replaces each object, as `istioctl install` does through the API.
    static func apply(_ objects: [KubeObject], to world: inout World) throws {
        for o in objects {
            if var existing = world.get(o.key) {
                existing.metadata.labels = o.labels
                existing.body = o.body
                _ = try world.update(existing, admission: admission)
            } else {
                _ = try world.create(o, admission: admission)
            }
        }
    }

    static func advance(_ world: inout World, steps: Int64) {
        _ = world.advance(to: world.now + steps * world.config.stepMilliseconds, admission: admission)
    }

    static func restart(_ world: inout World, namespace: String, at stamp: String) throws {
        for d in world.list(.deployments, namespace: namespace) {
            _ = try world.patch(
                d.key, patch: ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": .string(stamp)]]]]],
                type: .strategicMerge, admission: admission)
        }
        advance(&world, steps: 30)
    }

    @Test func seedCanaryStepsOnAWorld() throws {
        var world = World.defaultWorld(config: WorldConfig(seed: 7), now: Self.now, istio: .v1_5_4)
        let oldGateway = world.pods(in: "istio-system").first { $0.name.hasPrefix("istio-ingressgateway-") }!.name
        try Self.apply(IstioManifest(IstioInstallSpec(version: .v1_6_0, revision: "canary")).allObjects, to: &world)
        Self.advance(&world, steps: 20)

        // istiod-canary runs beside istiod; the gateway was replaced by a 1.6.0 one on the canary.
        let system = world.pods(in: "istio-system").filter { !$0.isTerminating }
        #expect(system.contains { $0.name.hasPrefix("istiod-canary-") && $0.isReady && $0.labels["istio"] == "istiod" })
        #expect(!system.contains { $0.name == oldGateway })
        let gateway = world.proxies(in: "istio-system").filter { $0.kind == .router }
        #expect(gateway.count == 1)
        #expect(gateway.first?.istioVersion == "1.6.0" && gateway.first?.revision == "canary")
        #expect(gateway.first?.discoveryHost == "istiod-canary.istio-system.svc")
        #expect(world.istioRevisions().map { "\($0.name) \($0.version)" } == ["default 1.5.4", "canary 1.6.0"])
        #expect(
            world.list(.mutatingWebhookConfigurations).map(\.name) == ["istio-sidecar-injector", "istio-sidecar-injector-canary"])

        // Restart with istio-injection=enabled still: 1.5.4.
        try Self.restart(&world, namespace: "default", at: "2026-01-01T00:10:00Z")
        #expect(world.proxies(in: "default").allSatisfy { $0.istioVersion == "1.5.4" })
        #expect(world.proxies(in: "default").count == 6)

        // Relabel, restart: every bookinfo pod now runs the canary's 1.6.0 proxy.
        _ = try world.patch(
            ObjectKey(.namespaces, name: "default"), patch: ["metadata": ["labels": ["istio-injection": nil, "istio.io/rev": "canary"]]],
            type: .strategicMerge, admission: Self.admission)
        try Self.restart(&world, namespace: "default", at: "2026-01-01T00:20:00Z")
        let proxies = world.proxies(in: "default")
        #expect(proxies.count == 6)
        #expect(proxies.allSatisfy {
            $0.istioVersion == "1.6.0" && $0.revision == "canary" && $0.discoveryHost == "istiod-canary.istio-system.svc"
                && $0.pod.labels["istio.io/rev"] == "canary"
        })
    }

    @Test func deletedDefaultIstiodBreaksValidationAndInjection() throws {
        var world = World.defaultWorld(config: WorldConfig(seed: 9), now: Self.now, istio: .v1_5_4)
        _ = try world.delete(ObjectKey(.deployments, namespace: "istio-system", name: "istiod"))
        Self.advance(&world, steps: 5)
        #expect(world.istioRevisions().isEmpty)

        let filter = IstioManifest(IstioInstallSpec(version: .v1_6_0, revision: "v160")).components[1].istioConfig[0]
        #expect(throws: WorldError.self) { try world.create(filter, admission: Self.admission) }
        do {
            _ = try world.create(filter, admission: Self.admission)
        } catch {
            #expect(
                error.message
                    == "Internal error occurred: failed calling webhook \"validation.istio.io\": Post https://istiod.istio-system.svc:443/validate?timeout=30s: no endpoints available for service \"istiod\"")
        }
        // The injector webhook is still there too: new pods in an enabled namespace are refused.
        let pod = KubeObject(
            resource: .pods, metadata: ObjectMeta(name: "sleep", namespace: "default"),
            body: ["spec": ["containers": [["name": "sleep", "image": "curlimages/curl"]]]])
        do {
            _ = try world.create(pod, admission: Self.admission)
            Issue.record("the pod was admitted")
        } catch {
            #expect(
                error.message
                    == "Internal error occurred: failed calling webhook \"sidecar-injector.istio.io\": Post https://istiod.istio-system.svc:443/inject?timeout=30s: no endpoints available for service \"istiod\"")
        }
    }
}
