/// One change to the world, in resource-version order: what a Kubernetes watch streams.
package struct WorldEvent: Hashable, Sendable {
    package enum Kind: String, Hashable, Sendable, Codable {
        case added = "ADDED"
        case modified = "MODIFIED"
        case deleted = "DELETED"
    }

    package var type: Kind
    /// The object after the change; for `deleted`, its last state stamped with the deletion's
    /// resource version, as the API server sends it.
    package var object: KubeObject

    package init(type: Kind, object: KubeObject) {
        self.type = type
        self.object = object
    }

    package var resourceVersion: UInt64 { object.metadata.resourceVersion }
}

/// Something the world will do by itself later: the next step of a pod's life, or the end of a
/// terminating object. Persisted, so a restarted daemon carries on a rollout where it stopped.
struct Transition: Hashable, Sendable, Codable {
    enum Action: Hashable, Sendable, Codable {
        case podStage(PodStage)
        case remove
        /// The ReplicaSet controller's next sync after a backoff or a capped burst.
        case syncReplicaSet
    }

    var due: Timestamp
    var sequence: UInt64
    var key: ObjectKey
    /// The object this was scheduled for; a later object with the same name is left alone.
    var uid: String
    var action: Action
}

/// Mutating admission, as Kubernetes' webhooks do it: sees each object before it is stored (pods
/// created by a ReplicaSet included) and may change it or refuse it. Extensions plug their webhooks in here.
package protocol AdmissionControl: Sendable {
    func admit(_ object: inout KubeObject, operation: AdmissionOperation, in world: World) throws(WorldError)
}

/// Which write an admission plugin is looking at.
package enum AdmissionOperation: String, Hashable, Sendable {
    case create = "CREATE"
    case update = "UPDATE"
}
