/// Which Deployments and ReplicaSets a run of events can concern, so `settle` runs their
/// controllers and not every one in the cluster: kube-controller-manager's controllers likewise
/// queue only the objects their informers' events point at (a pod event enqueues its controlling
/// ReplicaSet, a ReplicaSet event its Deployment — `pkg/controller/deployment/deployment_controller.go@v1.32.0`
/// `addReplicaSet`/`updateReplicaSet`, `pkg/controller/replicaset/replica_set.go@v1.32.0`
/// `addPod`/`updatePod`). With 1,000 Deployments, running them all after every write was most of
/// each write's time.
extension World {
    struct WorkloadKeys {
        var deployments: Set<ObjectKey> = []
        var replicaSets: Set<ObjectKey> = []
    }

    /// The controlling owner of `object` if it is of `kind`.
    static func controller(of object: KubeObject, kind: String, resource: ResourceType) -> ObjectKey? {
        object.metadata.ownerReferences.first { $0.controller && $0.kind == kind }
            .map { ObjectKey(resource, namespace: object.namespace, name: $0.name) }
    }

    /// The workloads `events` concern: each Deployment and ReplicaSet itself, a ReplicaSet's
    /// Deployment, a pod's ReplicaSet and that ReplicaSet's Deployment, a Deployment's
    /// ReplicaSets, and everything in a namespace whose own object changed.
    func workloads(touchedBy events: ArraySlice<WorldEvent>) -> WorkloadKeys {
        var keys = WorkloadKeys()
        for event in events {
            let o = event.object
            switch o.resource {
            case .deployments:
                keys.deployments.insert(o.key)
                keys.replicaSets.formUnion((index.dependents[o.metadata.uid] ?? []).filter { $0.resource == .replicaSets })
            case .replicaSets:
                keys.replicaSets.insert(o.key)
                if let d = Self.controller(of: o, kind: "Deployment", resource: .deployments) { keys.deployments.insert(d) }
            case .pods:
                guard let rs = Self.controller(of: o, kind: "ReplicaSet", resource: .replicaSets) else { continue }
                keys.replicaSets.insert(rs)
                if let owner = objects[rs], let d = Self.controller(of: owner, kind: "Deployment", resource: .deployments) {
                    keys.deployments.insert(d)
                }
            case .namespaces:
                keys.deployments.formUnion(index.keys(.deployments, namespace: o.name))
                keys.replicaSets.formUnion(index.keys(.replicaSets, namespace: o.name))
            default: continue
            }
        }
        return keys
    }

    /// Runs every Deployment and ReplicaSet controller once over the whole world, as `settle`
    /// did before it followed events; returns how many events that caused. After any write it
    /// must be none: the event-driven passes already reached the same fixed point.
    mutating func settleEverythingOnce() -> Int {
        var ctx = Context(admission: [])
        collectGarbage(ctx: &ctx)
        for d in index.keys(.deployments).sorted() { reconcileDeployment(d, ctx: &ctx) }
        for rs in index.keys(.replicaSets).sorted() { reconcileReplicaSet(rs, ctx: &ctx) }
        for d in index.keys(.deployments).sorted() { updateDeploymentStatus(d, ctx: &ctx) }
        return ctx.events.filter { $0.object.resource != .events }.count
    }
}
