import JSON
import Kubernetes
import KubeRuntime
import Istio
import Synchronization
import Testing

/// A store that keeps what it was asked to save, or refuses.
final class MemoryStore: WorldPersistence {
    let saved = Mutex<[WorldChange]>([])
    let refuse = Mutex(false)
    struct Refused: Error {}
    func save(_ change: WorldChange) throws {
        if refuse.withLock({ $0 }) { throw Refused() }
        saved.withLock { $0.append(change) }
    }
}

struct ClusterTests {
    static func cluster(store: MemoryStore? = nil) -> (LiveWorld, ManualClock) {
        let clock = ManualClock(WorldTests.now)
        let world = World.defaultWorld(config: WorldConfig(seed: 42), now: WorldTests.now)
        return (LiveWorld(world: world, clock: clock, persistence: store), clock)
    }

    @Test func subscribersSeeEveryEventInOrderAndResumeFromAVersion() async throws {
        let (cluster, clock) = Self.cluster()
        let start = cluster.world.resourceVersion
        let live = try cluster.events()
        _ = try await cluster.patch(
            ObjectKey(.namespaces, name: "default"), patch: ["metadata": ["labels": ["istio-injection": nil, "istio.io/rev": "canary"]]],
            type: .strategicMerge)
        _ = try await cluster.delete(ObjectKey(.pods, namespace: "default", name: cluster.world.pods().first!.name))
        clock.advance(byMilliseconds: 3000)
        try await cluster.tick()
        let end = cluster.world.resourceVersion
        let replay = try cluster.events(after: start + 1)
        cluster.close()
        var liveRVs: [UInt64] = []
        for await e in live { liveRVs.append(e.resourceVersion) }
        var replayRVs: [UInt64] = []
        for await e in replay { replayRVs.append(e.resourceVersion) }
        #expect(liveRVs == Array(start + 1...end))
        #expect(replayRVs == Array(start + 2...end))
    }

    @Test func aVersionOlderThanTheLogIsGone() throws {
        let (cluster, _) = Self.cluster()
        #expect(throws: WorldError.self) { _ = try cluster.events(after: 1) }
    }

    @Test func writesArePersistedBeforeTheyAreVisible() async throws {
        let store = MemoryStore()
        let (cluster, _) = Self.cluster(store: store)
        let before = cluster.world
        store.refuse.withLock { $0 = true }
        await #expect(throws: WorldError.self) {
            _ = try await cluster.create(KubeObject(resource: .configMaps, metadata: ObjectMeta(name: "c", namespace: "default")))
        }
        #expect(cluster.world == before)
        store.refuse.withLock { $0 = false }
        let created = try await cluster.create(KubeObject(resource: .configMaps, metadata: ObjectMeta(name: "c", namespace: "default")))
        let saved = store.saved.withLock { $0 }
        #expect(saved.count == 1)
        #expect(saved.first?.upserted == [created])
        #expect(saved.first?.meta.resourceVersion == created.metadata.resourceVersion)
        #expect(cluster.get(created.key) == created)
    }
}
