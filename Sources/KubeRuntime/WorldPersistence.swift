import Kubernetes

/// Where a cluster keeps its world between runs. `save` must make the change durable before it
/// returns: the cluster acknowledges a write only after it does.
package protocol WorldPersistence: Sendable {
    func save(_ change: WorldChange) throws
}

/// What one write changed, for a store: the objects to upsert, the keys to remove, and the new
/// world metadata (resource version, clock, random state, scheduled work).
package struct WorldChange: Sendable {
    package var upserted: [KubeObject]
    package var removed: [ObjectKey]
    package var meta: World.WorldMeta
    package var config: WorldConfig
    package var events: [WorldEvent]

    /// The whole world as one change: how a fresh store gets its first world.
    package static func everything(in world: World) -> WorldChange {
        WorldChange(
            upserted: (world.objects.values + world.list(.events)).sorted { $0.key < $1.key }, removed: [], meta: world.meta,
            config: world.config, events: [])
    }
}
