import Istiod
import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing
import TestKit
import XDSModel
import XDSServer
import XDSWire

/// Live revisions: each installed revision is a real ADS server generating clusters and endpoints
/// from the world, re-pushing when pods change, and going away with its Deployment.
@Suite(.serialized)
struct IstiodTests {
    static let now = Timestamp(seconds: 1_767_225_600)
    static let admission: [any AdmissionControl] = [SidecarInjector(), IstioConfigValidation()]

    static func fleet() -> (IstiodFleet, LiveWorld, ManualClock, Task<Void, Never>) {
        let clock = ManualClock(now)
        let world = World.defaultWorld(config: WorldConfig(seed: 42), now: now, istio: .v1_5_4)
        let cluster = LiveWorld(world: world, clock: clock, admission: admission)
        let fleet = IstiodFleet(cluster: cluster)
        let task = Task { await fleet.run() }
        return (fleet, cluster, clock, task)
    }

    static func stop(_ task: Task<Void, Never>, _ cluster: LiveWorld) async {
        task.cancel()
        cluster.close()
        await task.value
    }

    static func clusters(_ r: DiscoveryResponse) throws -> [XDSModel.Cluster] {
        try r.resources.map { try XDSModel.Cluster(wireBytes: $0.value) }
    }

    static func assignments(_ r: DiscoveryResponse) throws -> [ClusterLoadAssignment] {
        try r.resources.map { try ClusterLoadAssignment(wireBytes: $0.value) }
    }

    static func node(_ pod: String) -> Node {
        Node(id: "sidecar~10.244.0.9~\(pod).default~default.svc.cluster.local", metadata: ["ISTIO_VERSION": .string("1.5.4")])
    }

    @Test func defaultRevisionServesBookinfoAndRepushesWhenAPodChanges() async throws {
        let (fleet, cluster, clock, task) = Self.fleet()
        #expect(await fleet.waitUntil { $0.map(\.revision.name) == ["default"] })
        let istiod = try #require(fleet.istiods().first)
        #expect(istiod.host == "istiod.istio-system.svc")
        #expect(fleet.port(forHost: "istiod.istio-system.svc:15012") == istiod.port)

        let client = try ADSTestClient(port: istiod.port)
        let cds = try await client.subscribe(.cluster, node: Self.node("details-v1"))
        let names = try Self.clusters(cds).map(\.name)
        #expect(names.contains("outbound|9080||details.default.svc.cluster.local"))
        #expect(names.contains("outbound|15012||istiod.istio-system.svc.cluster.local"))
        #expect(try Self.clusters(cds).filter { $0.name.hasPrefix("outbound|") }.allSatisfy { $0.type == .eds && $0.edsServiceName == $0.name })

        let reviews = "outbound|9080||reviews.default.svc.cluster.local"
        let eds = try await client.subscribe(.endpoint, names: [reviews])
        let ips = { (r: DiscoveryResponse) throws -> Set<String> in
            Set(try Self.assignments(r).flatMap { $0.endpoints.flatMap { $0.lbEndpoints.map(\.address.address) } })
        }
        let world = cluster.world
        let reviewPods = world.pods(in: "default").filter { $0.labels["app"] == "reviews" }
        #expect(try ips(eds) == Set(reviewPods.map(\.ip)))
        #expect(try Self.assignments(eds).first?.endpoints.first?.lbEndpoints.first?.address.portValue == 9080)

        // Delete one reviews pod: it stops being ready at once, and its replacement comes up.
        let victim = reviewPods[0]
        _ = try await cluster.delete(ObjectKey(.pods, namespace: "default", name: victim.name))
        let shrunk = try await client.response()
        client.ack(shrunk, names: [reviews])
        #expect(try !ips(shrunk).contains(victim.ip))
        for _ in 0..<6 {
            clock.advance(byMilliseconds: 1000)
            try await cluster.tick()
        }
        var latest = shrunk
        while try ips(latest).count < 3 {
            latest = try await client.response()
            client.ack(latest, names: [reviews])
        }
        let now = cluster.world.pods(in: "default").filter { $0.labels["app"] == "reviews" && $0.isReady }
        #expect(try ips(latest) == Set(now.map(\.ip)))
        client.cancel()
        await Self.stop(task, cluster)
    }

    @Test func canaryInstallAddsASecondLiveServerAndDeletingTheDeploymentTakesItDown() async throws {
        let (fleet, cluster, clock, task) = Self.fleet()
        #expect(await fleet.waitUntil { $0.count == 1 })
        for object in IstioManifest(IstioInstallSpec(version: .v1_6_0, revision: "canary")).components[1].objects {
            _ = try await cluster.create(object)
        }
        for _ in 0..<5 {
            clock.advance(byMilliseconds: 1000)
            try await cluster.tick()
        }
        #expect(await fleet.waitUntil { $0.map(\.revision.name) == ["canary", "default"] })
        let servers = fleet.istiods()
        let canary = try #require(servers.first { $0.revision.name == "canary" })
        #expect(canary.host == "istiod-canary.istio-system.svc")
        #expect(canary.revision.version == .v1_6_0)
        #expect(canary.podName.hasPrefix("istiod-canary-"))
        #expect(Set(servers.map(\.port)).count == 2)

        // Both answer a real client with the same bookinfo clusters and endpoints.
        for server in servers {
            let client = try ADSTestClient(port: server.port)
            let cds = try await client.subscribe(.cluster, node: Self.node("productpage-v1"))
            #expect(try Self.clusters(cds).map(\.name).contains("outbound|9080||productpage.default.svc.cluster.local"))
            let eds = try await client.subscribe(.endpoint, names: ["outbound|9080||productpage.default.svc.cluster.local"])
            let productpage = cluster.world.pods(in: "default").first { $0.labels["app"] == "productpage" }!
            #expect(try Self.assignments(eds).first?.endpoints.first?.lbEndpoints.map(\.address.address) == [productpage.ip])
            client.cancel()
        }

        _ = try await cluster.delete(ObjectKey(.deployments, namespace: "istio-system", name: "istiod-canary"))
        for _ in 0..<3 {
            clock.advance(byMilliseconds: 1000)
            try await cluster.tick()
        }
        #expect(await fleet.waitUntil { $0.map(\.revision.name) == ["default"] })
        #expect(fleet.port(forHost: "istiod-canary.istio-system.svc") == nil)
        await Self.stop(task, cluster)
    }
}
