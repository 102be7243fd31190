import JSON
import Kubernetes
import KubeRuntime
import Testing

/// A large scale-up's backlog of pod steps runs in slices, so a write issued meanwhile is
/// answered long before the backlog is done (ordering only: no time is measured).
struct WriteSliceTests {
    @Test func aCreateDuringALargeScaleUpGoesBetweenSlices() async throws {
        let clock = ManualClock(WorldTests.now)
        let world = World.defaultWorld(config: WorldConfig(seed: 42), now: WorldTests.now)
        // Small slices over 60 pods: the same shape as 200-piece slices over a 1,000-pod scale-up.
        let slice = 10
        let cluster = LiveWorld(world: world, clock: clock, sliceLimit: slice)
        let events = try cluster.events()
        _ = try await cluster.patch(
            ObjectKey(.deployments, namespace: "default", name: "details-v1"), patch: ["spec": ["replicas": 60]], type: .merge)
        // Every new pod's next step falls due at once.
        clock.advance(byMilliseconds: 20 * cluster.world.config.stepMilliseconds)

        let backlog = Task { try await cluster.tick() }
        let created = try await cluster.create(
            KubeObject(
                json: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "between", "namespace": "default"]],
                resource: .configMaps))
        try await backlog.value
        // Work the backlog made due later, until every pod is ready (bounded).
        for _ in 0..<40 where cluster.world.pods(in: "default").count(where: { $0.name.hasPrefix("details-v1-") && $0.isReady }) < 60 {
            clock.advance(byMilliseconds: cluster.world.config.stepMilliseconds)
            try await cluster.tick()
        }
        cluster.close()

        var podEventsBefore = 0, podEventsAfter = 0, sawCreate = false
        for await e in events {
            if e.object.resource == .configMaps, e.object.name == "between" { sawCreate = true }
            guard e.object.resource == .pods else { continue }
            if sawCreate { podEventsAfter += 1 } else { podEventsBefore += 1 }
        }
        #expect(sawCreate)
        #expect(created.metadata.resourceVersion < cluster.world.resourceVersion)
        // Before the create: the scale-up's own 59 new pods, and at most two slices (the create's
        // own write runs one first, and the tick may have run one).
        #expect(podEventsBefore <= 59 + 2 * slice, "before: \(podEventsBefore)")
        // The backlog went on after it: each of 59 pods still had several steps to go.
        #expect(podEventsAfter > 4 * (podEventsBefore - 59), "before: \(podEventsBefore), after: \(podEventsAfter)")
        #expect(cluster.world.pods(in: "default").count(where: { $0.name.hasPrefix("details-v1-") && $0.isReady }) == 60)
    }

    /// Due work that changes nothing visible (the next step of a pod already terminating) is
    /// still done and kept: otherwise a slice made only of it would run again on every tick and
    /// the work behind it would never come.
    @Test func slicesOfInvisibleWorkStillMoveOn() async throws {
        let clock = ManualClock(WorldTests.now)
        let world = World.defaultWorld(config: WorldConfig(seed: 42), now: WorldTests.now)
        let cluster = LiveWorld(world: world, clock: clock, sliceLimit: 2)
        let key = ObjectKey(.deployments, namespace: "default", name: "details-v1")
        _ = try await cluster.patch(key, patch: ["spec": ["replicas": 6]], type: .merge)
        let before = Set(cluster.world.pods(in: "default").map(\.name))
        // Scale back at once: the five new pods terminate; their scheduled steps now do nothing.
        _ = try await cluster.patch(key, patch: ["spec": ["replicas": 1]], type: .merge)
        for _ in 0..<10 {
            clock.advance(byMilliseconds: cluster.world.config.stepMilliseconds)
            try await cluster.tick()
        }
        let left = cluster.world.pods(in: "default").filter { $0.name.hasPrefix("details-v1-") }
        #expect(left.count == 1, "\(left.map(\.name)) of \(before)")
    }
}
