import Istiod
import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing
import TestKit
import XDSModel

/// istiod's endpoints are the ready endpoints of the stored EndpointSlices: what a proxy receives
/// is what `kubectl get endpointslices` shows, named target ports resolved the same way.
@Suite(.serialized)
struct EDSFromSlicesTests {
    @Test func endpointsAreTheSlicesReadyAddressesAtTheResolvedPort() async throws {
        let (fleet, cluster, clock, task) = IstiodTests.fleet()
        #expect(await fleet.waitUntil { $0.count == 1 })
        let istiod = try #require(fleet.istiods().first)
        let labels: JSONValue = ["app": "echo"]
        _ = try await cluster.create(
            KubeObject(
                resource: .services, metadata: ObjectMeta(name: "echo", namespace: "default"),
                body: ["spec": ["selector": labels, "ports": [["name": "http", "port": 80, "targetPort": "web"]]]]))
        _ = try await cluster.create(
            KubeObject(
                resource: .deployments, metadata: ObjectMeta(name: "echo", namespace: "default"),
                body: [
                    "spec": [
                        "replicas": 2, "selector": ["matchLabels": labels],
                        "template": [
                            "metadata": ["labels": labels, "annotations": ["sidecar.istio.io/inject": "false"]],
                            "spec": ["containers": [["name": "echo", "image": "echo", "ports": [["name": "web", "containerPort": 9376]]]]],
                        ],
                    ]
                ]))
        for _ in 0..<5 {
            clock.advance(byMilliseconds: 1000)
            try await cluster.tick()
        }
        let client = try ADSTestClient(port: istiod.port)
        _ = try await client.subscribe(.cluster, node: IstiodTests.node("details-v1"))
        let echo = "outbound|80||echo.default.svc.cluster.local"
        let kubernetes = "outbound|443||kubernetes.default.svc.cluster.local"
        let eds = try await client.subscribe(.endpoint, names: [echo, kubernetes])
        let sent = Dictionary(
            try IstiodTests.assignments(eds).map { a in
                (a.clusterName, Set(a.endpoints.flatMap { $0.lbEndpoints.map { "\($0.address.address):\($0.address.portValue)" } }))
            }, uniquingKeysWith: { a, _ in a })

        let world = cluster.world
        let slices = world.endpointSlicesByService()
        let stored = { (service: String) in
            Set(
                (slices["default/\(service)"] ?? []).flatMap { slice in
                    slice.endpoints.filter(\.isReady).flatMap { e in e.addresses.map { "\($0):\(slice.ports.first?.port ?? 0)" } }
                })
        }
        #expect(stored("echo").count == 2 && stored("echo").allSatisfy { $0.hasSuffix(":9376") })
        #expect(sent[echo] == stored("echo"))
        #expect(sent[kubernetes] == ["\(world.config.podCIDR.address(at: 1)):6443"])
        client.cancel()
        await IstiodTests.stop(task, cluster)
    }
}
