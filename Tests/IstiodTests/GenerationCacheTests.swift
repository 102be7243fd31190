@testable import Istiod
import JSON
import Kubernetes
import Istio
import Testing
import XDSModel

/// The per-Service generation cache gives exactly what generating everything from scratch gives,
/// after any sequence of world changes, and regenerates only the Services a change touched.
struct GenerationCacheTests {
    /// bookinfo's Deployments: the Services below select their pods.
    static let apps = ["details", "ratings", "reviews", "productpage"]

    static func service(_ name: String, selecting app: String, ports: [(String, Int64, String)]) -> KubeObject {
        KubeObject(
            resource: .services, metadata: ObjectMeta(name: name, namespace: "default"),
            body: [
                "spec": [
                    "selector": ["app": .string(app)],
                    "ports": .array(ports.map { ["name": .string($0.0), "port": .int($0.1), "protocol": .string($0.2)] }),
                ]
            ])
    }

    static func expectFull(_ cache: GenerationCache, _ world: World, _ step: String) {
        #expect(cache.clusters == CDS.clusters(world), "\(step): clusters")
        #expect(cache.endpoints == EDS.assignments(world), "\(step): endpoints")
    }

    @Test(arguments: [UInt64(11), 12, 13])
    func equalsFullGenerationAfterRandomChanges(seed: UInt64) {
        var world = World.defaultWorld(config: WorldConfig(seed: seed), now: IstiodTests.now, istio: .v1_5_4)
        var rng = SeededRandom(seed: seed)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        var cache = GenerationCache()
        cache.update(world)
        Self.expectFull(cache, world, "start")
        for step in 0..<50 {
            let name = "svc-\(pick(4))"
            var label = ""
            switch pick(8) {
            case 0:
                label = "create service \(name)"
                let ports: [(String, Int64, String)] = pick(2) == 0 ? [("http", 80, "TCP")] : [("http", 80, "TCP"), ("dns", 53, "UDP"), ("grpc", 90, "TCP")]
                _ = try? world.create(Self.service(name, selecting: Self.apps[pick(Self.apps.count)], ports: ports))
            case 1:
                label = "change ports of \(name)"
                _ = try? world.patch(
                    ObjectKey(.services, namespace: "default", name: name),
                    patch: ["spec": ["ports": [["name": "http", "port": .int(Int64(81 + pick(3)))]]]], type: .merge)
            case 2:
                label = "delete service \(name)"
                _ = try? world.delete(ObjectKey(.services, namespace: "default", name: name))
            case 3, 4:
                let deployment = "\(Self.apps[pick(Self.apps.count)])-v1"
                label = "scale \(deployment)"
                _ = try? world.patch(
                    ObjectKey(.deployments, namespace: "default", name: deployment),
                    patch: ["spec": ["replicas": .int(Int64(pick(4)))]], type: .merge)
            case 5:
                label = "delete a pod"
                let pods = world.list(.pods, namespace: "default")
                if !pods.isEmpty { _ = try? world.delete(pods[pick(pods.count)].key) }
            case 6:
                label = "a slice edited by hand"
                let slices = world.list(.endpointSlices, namespace: "default")
                if !slices.isEmpty {
                    var slice = slices[pick(slices.count)]
                    slice.body["endpoints"] = .array([])
                    _ = try? world.update(slice)
                }
            default:
                label = "advance"
                _ = world.advance(to: world.now + Int64(pick(5)) * 1000)
            }
            cache.update(world)
            Self.expectFull(cache, world, "\(step): \(label)")
        }
    }

    @Test func aPodChangeRegeneratesOnlyItsService() throws {
        var world = World.defaultWorld(config: WorldConfig(seed: 42), now: IstiodTests.now, istio: .v1_5_4)
        var cache = GenerationCache()
        cache.update(world)
        #expect(cache.regenerated == world.list(.services).count)
        let before = cache.clusters
        cache.update(world)
        #expect(cache.regenerated == 0)

        let ratings = try #require(world.list(.pods, namespace: "default").first { $0.name.hasPrefix("ratings-v1-") })
        _ = try world.delete(ratings.key, gracePeriodSeconds: 0)
        cache.update(world)
        #expect(cache.regenerated == 1)
        #expect(cache.clusters == before)
        Self.expectFull(cache, world, "ratings pod deleted")
        let ratingsEndpoints = cache.endpoints.first { $0.clusterName.contains("ratings.default") }
        #expect(ratingsEndpoints?.endpoints.flatMap(\.lbEndpoints).isEmpty == true)
    }
}
