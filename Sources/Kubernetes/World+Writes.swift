import JSON
/// Create, replace and delete: defaulting, admission, validation and the bookkeeping every write
/// shares.
extension World {
    /// Kinds whose `status` belongs to the server: writes through the main resource keep it.
    static let serverOwnedStatus: Set<ResourceType> = [.pods, .deployments, .replicaSets, .namespaces, .services, .customResourceDefinitions]
    /// Kinds that count spec changes in `metadata.generation`.
    static let generational: Set<ResourceType> = [
        .deployments, .replicaSets, .mutatingWebhookConfigurations, .validatingWebhookConfigurations,
    ]

    mutating func insert(_ object: KubeObject, ctx: inout Context) throws(WorldError) -> KubeObject {
        var obj = object
        let r = obj.resource
        try Self.refuseListOnly(r)
        if obj.name.isEmpty {
            guard !obj.metadata.generateName.isEmpty else {
                throw .invalid(r, "", ["metadata.name: Required value: name or generateName is required"])
            }
            obj.metadata.name = KubeNames.generated(from: obj.metadata.generateName, using: &meta.rng)
        }
        if r.namespaced {
            if obj.namespace.isEmpty { obj.metadata.namespace = "default" }
            guard let ns = objects[ObjectKey(.namespaces, name: obj.namespace)] else {
                throw .notFound(.namespaces, obj.namespace)
            }
            if ns.isTerminating {
                throw .forbidden(
                    r, obj.name,
                    "unable to create new content in namespace \(obj.namespace) because it is being terminated")
            }
        } else {
            obj.metadata.namespace = ""
        }
        if get(obj.key) != nil { throw .alreadyExists(r, obj.name) }
        try Self.validateName(obj)
        obj.metadata.uid = KubeNames.uid(using: &meta.rng)
        obj.metadata.creationTimestamp = meta.now
        obj.metadata.deletionTimestamp = nil
        obj.metadata.deletionGracePeriodSeconds = nil
        obj.metadata.generation = Self.countsGeneration(r) ? 1 : 0
        if Self.serverOwnedStatus.contains(r) { obj.body["status"] = nil }
        applyDefaults(&obj, previous: nil)
        // Before mutating admission, as the API server's handlers run the field manager: what a
        // webhook adds belongs to no manager.
        recordManagedFields(&obj, previous: nil, ctx: &ctx)
        for plugin in ctx.admission { try plugin.admit(&obj, operation: .create, in: self) }
        try Self.validate(obj)
        let stored = put(obj, .added, ctx: &ctx)
        if r == .pods { schedule(stored, .podStage(.scheduled), afterSteps: 0) }
        if r == .namespaces {
            // The service-account controller gives every namespace a `default` account.
            let sa = KubeObject(resource: .serviceAccounts, metadata: ObjectMeta(name: "default", namespace: stored.name))
            _ = try? insert(sa, ctx: &ctx)
            if stored.name == "default" { addClusterBasics(ctx: &ctx) }
        }
        return stored
    }

    mutating func replace(_ current: KubeObject, with new: KubeObject, keepStatus: Bool = true, ctx: inout Context)
        throws(WorldError) -> KubeObject
    {
        var obj = new
        let r = current.resource
        obj.metadata.name = current.name
        obj.metadata.namespace = current.namespace
        obj.metadata.uid = current.metadata.uid
        obj.metadata.generateName = current.metadata.generateName
        obj.metadata.creationTimestamp = current.metadata.creationTimestamp
        obj.metadata.deletionTimestamp = current.metadata.deletionTimestamp
        obj.metadata.deletionGracePeriodSeconds = current.metadata.deletionGracePeriodSeconds
        obj.metadata.resourceVersion = current.metadata.resourceVersion
        if Self.serverOwnedStatus.contains(r) { obj.body["status"] = current.body["status"] }
        if r == .pods, Self.podSpecIgnoringImages(obj.spec) != Self.podSpecIgnoringImages(current.spec) {
            throw .invalid(
                r, current.name,
                ["spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`, `spec.initContainers[*].image`, `spec.activeDeadlineSeconds`, `spec.tolerations` (only additions to existing tolerations) or `spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"])
        }
        applyDefaults(&obj, previous: current)
        obj.metadata.generation =
            Self.countsGeneration(r)
            ? current.metadata.generation + (Self.generationChanged(obj, current) ? 1 : 0)
            : current.metadata.generation
        // Before mutating admission, as the API server's handlers run the field manager: what a
        // webhook adds belongs to no manager.
        recordManagedFields(&obj, previous: current, ctx: &ctx)
        for plugin in ctx.admission { try plugin.admit(&obj, operation: .update, in: self) }
        try Self.validate(obj)
        // A write that changes nothing keeps the resource version, as the API server does.
        if obj == current { return current }
        return put(obj, .modified, ctx: &ctx)
    }

    /// Starts (or completes) the deletion of `object` and returns what the DELETE answers.
    mutating func beginDeletion(_ object: KubeObject, gracePeriodSeconds: Int64?, ctx: inout Context) -> KubeObject {
        switch object.resource {
        case .pods:
            let unscheduled = object.spec["nodeName"]?.stringValue == nil
            if gracePeriodSeconds == 0 || unscheduled {
                remove(object.key, ctx: &ctx)
                return object
            }
            if object.isTerminating { return object }
            recordKilling(object, ctx: &ctx)
            var pod = object
            let grace = gracePeriodSeconds ?? object.spec["terminationGracePeriodSeconds"]?.intValue ?? 30
            pod.metadata.deletionTimestamp = meta.now + grace * 1000
            pod.metadata.deletionGracePeriodSeconds = grace
            let stored = put(pod, .modified, ctx: &ctx)
            schedule(stored, .podStage(.stopped), afterSteps: 1)
            schedule(stored, .remove, afterSteps: 2)
            return stored
        case .namespaces:
            if object.isTerminating { return object }
            var ns = object
            ns.metadata.deletionTimestamp = meta.now
            ns.status = ["phase": "Terminating"]
            let stored = put(ns, .modified, ctx: &ctx)
            // The namespace controller deletes the namespace's events with everything else.
            for event in eventStore.list(namespace: object.name) { remove(event.key, ctx: &ctx) }
            for child in index.keys(inNamespace: object.name).compactMap({ objects[$0] }).sorted(by: { $0.key < $1.key }) {
                _ = beginDeletion(child, gracePeriodSeconds: gracePeriodSeconds, ctx: &ctx)
            }
            return stored
        default:
            if object.resource == .customResourceDefinitions { removeCustomResources(of: object, ctx: &ctx) }
            remove(object.key, ctx: &ctx)
            return object
        }
    }

    /// Runs the controllers until nothing changes: garbage collection of orphans, Deployments,
    /// ReplicaSets, and the end of namespaces that finished terminating.
    mutating func settle(ctx: inout Context) {
        for _ in 0..<10 {
            let before = ctx.events.count
            collectGarbage(ctx: &ctx)
            // Each pass runs for the workloads the events since its own last run concern.
            let deployments = workloads(touchedBy: ctx.events[ctx.deploymentsCursor...]).deployments
            ctx.deploymentsCursor = ctx.events.count
            for d in deployments.sorted() { reconcileDeployment(d, ctx: &ctx) }
            var replicaSets = workloads(touchedBy: ctx.events[ctx.replicaSetsCursor...]).replicaSets
            ctx.replicaSetsCursor = ctx.events.count
            replicaSets.formUnion(ctx.dueReplicaSets)
            ctx.dueReplicaSets = []
            for rs in replicaSets.sorted() { reconcileReplicaSet(rs, ctx: &ctx) }
            let statuses = workloads(touchedBy: ctx.events[ctx.statusCursor...]).deployments
            ctx.statusCursor = ctx.events.count
            for d in statuses.sorted() { updateDeploymentStatus(d, ctx: &ctx) }
            for ns in index.keys(.namespaces).compactMap({ objects[$0] }).filter(\.isTerminating) {
                if index.namespaceCounts[ns.name] == nil {
                    remove(ns.key, ctx: &ctx)
                }
            }
            if ctx.events.count == before { break }
        }
        // Nothing above reads Endpoints or EndpointSlices, so they are brought up to date once,
        // after the other controllers have settled.
        if !ctx.endpointsBatched { syncEndpoints(ctx: &ctx) }
    }

    /// Background propagation: an object whose controlling owner is gone is deleted too.
    mutating func collectGarbage(ctx: inout Context) {
        let orphans = index.orphans.compactMap { objects[$0] }.filter { !$0.isTerminating }
        for o in orphans.sorted(by: { $0.key < $1.key }) {
            if let current = objects[o.key] { _ = beginDeletion(current, gracePeriodSeconds: nil, ctx: &ctx) }
        }
    }

    mutating func fire(_ t: Transition, ctx: inout Context) {
        guard let object = objects[t.key], object.metadata.uid == t.uid else { return }
        switch t.action {
        case .remove: remove(t.key, ctx: &ctx)
        case .podStage(let stage): advancePod(object, to: stage, ctx: &ctx)
        case .syncReplicaSet:
            replicaSetQueue.due(t.key)
            ctx.dueReplicaSets.insert(t.key)
        }
    }

    static func podSpecIgnoringImages(_ spec: JSONValue) -> JSONValue {
        var s = spec
        for field in ["containers", "initContainers"] {
            if let list = s[field]?.arrayValue {
                s[field] = .array(list.map { var c = $0; c["image"] = nil; return c })
            }
        }
        s["nodeName"] = nil
        s["activeDeadlineSeconds"] = nil
        s["terminationGracePeriodSeconds"] = nil
        s["tolerations"] = nil
        return s
    }
}
