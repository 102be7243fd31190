import JSON
import Kubernetes
import Dispatch
import Synchronization

/// The live cluster: one `World` behind a lock, changed only by serialised writes, each of which is
/// persisted before it is acknowledged and then published, in resource-version order, to every
/// subscriber.
///
/// Isolation: reads (`world`, `get`, `list`) take the lock briefly and never block on I/O. Writes
/// run one at a time on a private serial queue (the persistence may fsync), so callers on the
/// cooperative pool only await.
package final class LiveWorld: Sendable {
    struct State {
        var world: World
        /// Recent events, for watches that resume from a resource version.
        var log: [WorldEvent] = []
        /// The oldest resource version a watch may resume from.
        var logFloor: UInt64
        var subscribers: [UInt64: AsyncStream<WorldEvent>.Continuation] = [:]
        var nextSubscriber: UInt64 = 0
        var closed = false
        /// Worlds kept for paginated lists, by resource version (`LiveWorld+Snapshots`).
        var snapshots: [UInt64: World] = [:]
        /// The kinds served, recomputed when a write touches a CRD.
        var catalog: ResourceCatalog
    }

    let state: Mutex<State>
    private let writes = DispatchQueue(label: "xdsemu.cluster.writes")
    private let persistence: (any WorldPersistence)?
    package let clock: any WorldClock
    package let admission: [any AdmissionControl]
    /// The kinds this world serves: the built-in ones, those extensions add, and those its CRDs define.
    package var resources: ResourceCatalog { state.withLock { $0.catalog } }
    /// The built-in kinds and those extensions compile in.
    private let compiledResources: ResourceCatalog
    static let logCapacity = 10_000

    package init(
        world: World, clock: any WorldClock, persistence: (any WorldPersistence)? = nil,
        admission: [any AdmissionControl] = [], resources: ResourceCatalog = ResourceCatalog(),
        sliceLimit: Int = LiveWorld.defaultSliceLimit
    ) {
        self.sliceLimit = sliceLimit
        self.compiledResources = resources
        self.state = Mutex(State(world: world, logFloor: world.resourceVersion, catalog: resources.including(world.customResourceDefinitions)))
        self.clock = clock
        self.persistence = persistence
        self.admission = admission
    }

    // MARK: Reading

    /// The current world, a value: read as much as you like without holding anything.
    package var world: World { state.withLock { $0.world } }

    package func get(_ key: ObjectKey) -> KubeObject? { state.withLock { $0.world.get(key) } }

    // MARK: Writing

    // Each write takes `dryRun` (the API server's `dryRun=All`): then it runs on a copy of the
    // world, with admission and validation, and answers what it would have stored; nothing is
    // persisted, published or kept.

    // `owner`: who the write's managed fields name (the request's fieldManager); nil leaves
    // them as they are.

    package func create(_ object: KubeObject, dryRun: Bool = false, owner: FieldOwner? = nil) async throws(WorldError) -> KubeObject {
        try await write(dryRun: dryRun) { world, admission throws(WorldError) in try world.create(object, admission: admission, owner: owner) }
    }

    package func update(_ object: KubeObject, dryRun: Bool = false, owner: FieldOwner? = nil) async throws(WorldError) -> KubeObject {
        try await write(dryRun: dryRun) { world, admission throws(WorldError) in try world.update(object, admission: admission, owner: owner) }
    }

    package func patch(
        _ key: ObjectKey, patch: JSONValue, type: World.PatchType, dryRun: Bool = false, owner: FieldOwner? = nil
    ) async throws(WorldError) -> KubeObject {
        try await write(dryRun: dryRun) { world, admission throws(WorldError) in
            try world.patch(key, patch: patch, type: type, admission: admission, owner: owner)
        }
    }

    package func delete(_ key: ObjectKey, gracePeriodSeconds: Int64? = nil, dryRun: Bool = false) async throws(WorldError)
        -> KubeObject
    {
        try await write(dryRun: dryRun) { world, admission throws(WorldError) in
            try world.delete(key, gracePeriodSeconds: gracePeriodSeconds, admission: admission)
        }
    }

    func write<R: Sendable>(
        dryRun: Bool, _ body: @escaping @Sendable (inout World, [any AdmissionControl]) throws(WorldError) -> (R, [WorldEvent])
    ) async throws(WorldError) -> R {
        guard dryRun else { return try await write(body) }
        var copy = world
        return try body(&copy, admission).0
    }

    /// Does whatever the clock says is due (pod steps, ends of termination), in slices of at most
    /// `sliceLimit` pieces, each its own write: API writes queued meanwhile run between slices
    /// instead of waiting for a whole large scale-up's backlog.
    package func tick() async throws(WorldError) {
        // Bounded: with the clock moving, new work keeps falling due; the driver's next wake-up
        // picks up what is left.
        for _ in 0..<1_000 {
            try await write { _, _ in ((), []) }
            guard let due = world.nextDue, due <= clock.now() else { return }
        }
    }

    /// Pieces of due work (`World.advance`) one write runs at most before its own change.
    package static let defaultSliceLimit = 200
    package let sliceLimit: Int
    /// Time one write spends on due work at most (past its first piece).
    package static let sliceTime = Duration.milliseconds(100)
    private var sliceTime: Duration { Self.sliceTime }

    /// Runs one write: catch the world up with the clock, apply `body`, run work that became due
    /// at once, persist, commit, publish. Nothing is committed or published if persisting fails.
    package func write<R: Sendable>(
        _ body: @escaping @Sendable (inout World, [any AdmissionControl]) throws(WorldError) -> (R, [WorldEvent])
    ) async throws(WorldError) -> R {
        let result: Result<R, WorldError> = await withCheckedContinuation { continuation in
            writes.async {
                continuation.resume(returning: self.writeNow(body))
            }
        }
        return try result.get()
    }

    private func writeNow<R>(
        _ body: (inout World, [any AdmissionControl]) throws(WorldError) -> (R, [WorldEvent])
    ) -> Result<R, WorldError> {
        var world = state.withLock { $0.world }
        let now = clock.now()
        // A slice also ends after `sliceTime`: each piece re-runs the controllers over the whole
        // world, so 200 pieces of a 1,000-pod world take seconds in a debug build.
        let deadline = ContinuousClock.now + sliceTime
        let enough = { ContinuousClock.now >= deadline }
        let due = world.advance(to: now, admission: admission, limit: sliceLimit, enough: enough)
        var events = due.events
        var done = due.done
        let value: R
        do {
            let (r, more) = try body(&world, admission)
            value = r
            events += more
        } catch {
            // A refused write still lets due work through, so time does not stall on errors.
            if !events.isEmpty || done > 0, (try? persist(world, events)) != nil { commit(world, events) }
            return .failure(error)
        }
        // Work the change made due at once (never a backlog: that waits for the next slice).
        let more = world.advance(to: now, admission: admission, limit: sliceLimit, enough: enough)
        events += more.events
        done += more.done
        // Nothing changed at all: nothing to keep. Due work that changed nothing visible is
        // still kept, or a slice of it would run again on every tick and hide the work behind it.
        if events.isEmpty, done == 0 { return .success(value) }
        do { try persist(world, events) } catch {
            return .failure(WorldError(.internalError, "failed to persist the change: \(error)"))
        }
        commit(world, events)
        return .success(value)
    }

    private func persist(_ world: World, _ events: [WorldEvent]) throws {
        guard let persistence else { return }
        var upserted: [ObjectKey: KubeObject] = [:]
        var removed: Set<ObjectKey> = []
        for e in events {
            if let o = world.get(e.object.key) {
                upserted[o.key] = o
                removed.remove(o.key)
            } else {
                upserted[e.object.key] = nil
                removed.insert(e.object.key)
            }
        }
        try persistence.save(
            WorldChange(
                upserted: upserted.values.sorted { $0.key < $1.key }, removed: removed.sorted(), meta: world.meta,
                config: world.config, events: events))
    }

    /// Publishes outside the lock: yielding to a stream whose consumer is being cancelled takes
    /// that task's status lock, and cancellation runs `onTermination` (which takes ours) under
    /// it — yielding under our lock deadlocked the daemon when a watch ended mid-write. The
    /// subscribers are read with the log, so a new one gets each event once, from the log or
    /// here; commits run one at a time on the write queue, so events still arrive in order.
    private func commit(_ world: World, _ events: [WorldEvent]) {
        let definitionsChanged = events.contains { $0.object.resource == .customResourceDefinitions }
        let catalog = definitionsChanged ? compiledResources.including(world.customResourceDefinitions) : nil
        let subscribers = state.withLock { s in
            s.world = world
            if let catalog { s.catalog = catalog }
            s.log.append(contentsOf: events)
            if s.log.count > Self.logCapacity {
                let drop = s.log.count - Self.logCapacity
                s.logFloor = s.log[drop - 1].resourceVersion
                s.log.removeFirst(drop)
                s.snapshots = s.snapshots.filter { $0.key >= s.logFloor }
            }
            return Array(s.subscribers.values)
        }
        for e in events {
            for c in subscribers { c.yield(e) }
        }
    }

    // MARK: Subscribing

    /// Every event after `resourceVersion` (or from now on, when nil), in order, then live ones
    /// until `close()`. Throws `gone` (410) when that version is older than the events still kept,
    /// as the API server does after compaction; clients then list again.
    package func events(after resourceVersion: UInt64? = nil) throws(WorldError) -> AsyncStream<WorldEvent> {
        let (stream, continuation) = AsyncStream<WorldEvent>.makeStream(bufferingPolicy: .unbounded)
        try state.withLock { (s: inout State) throws(WorldError) in
            if s.closed {
                continuation.finish()
                return
            }
            if let rv = resourceVersion {
                if rv < s.logFloor {
                    throw WorldError(.gone, "too old resource version: \(rv) (\(s.logFloor))")
                }
                for e in s.log where e.resourceVersion > rv { continuation.yield(e) }
            }
            let id = s.nextSubscriber
            s.nextSubscriber += 1
            s.subscribers[id] = continuation
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.subscribers.removeValue(forKey: id) }
            }
        }
        return stream
    }

    /// How many subscriptions are open (each watch holds one).
    package var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Ends every subscription (watches finish cleanly); used on shutdown.
    package func close() {
        let subscribers = state.withLock { s in
            s.closed = true
            defer { s.subscribers = [:] }
            return Array(s.subscribers.values)
        }
        for c in subscribers { c.finish() }
    }
}
