import JSON
import Kubernetes

extension LiveWorld {
    /// Server-side apply (`World.apply`), serialised, persisted and published like every write.
    package func apply(_ key: ObjectKey, config: JSONValue, manager: String, force: Bool, dryRun: Bool = false) async throws(WorldError)
        -> KubeObject
    {
        try await write(dryRun: dryRun) { world, admission throws(WorldError) in
            try world.apply(key, config: config, manager: manager, force: force, admission: admission)
        }
    }

    // MARK: Snapshots for paginated lists

    /// How many worlds paginated lists may hold at once; the oldest goes first.
    package static let snapshotCapacity = 8

    /// `world` (a world this cluster had), kept so that the pages after the first of a paginated list come from
    /// the same resource version, as etcd serves them. A kept world goes when eight newer ones
    /// are kept or when the event log no longer reaches back to it (then its continue tokens
    /// answer 410 `Expired`, as after etcd's compaction).
    package func keepSnapshot(_ world: World) {
        state.withLock { s in
            guard world.resourceVersion >= s.logFloor else { return }
            s.snapshots[world.resourceVersion] = world
            while s.snapshots.count > Self.snapshotCapacity, let oldest = s.snapshots.keys.min() {
                s.snapshots[oldest] = nil
            }
        }
    }

    /// The world as it was at `resourceVersion`, when it is the current one or a kept snapshot.
    package func snapshot(at resourceVersion: UInt64) -> World? {
        state.withLock { s in
            s.world.resourceVersion == resourceVersion ? s.world : s.snapshots[resourceVersion]
        }
    }
}
