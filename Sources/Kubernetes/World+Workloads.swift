import JSON
/// The Deployment and ReplicaSet controllers: a Deployment owns one ReplicaSet per pod template
/// (named `<deployment>-<pod-template-hash>`), and rolls from old to new under the RollingUpdate
/// rules (maxSurge rounds up, maxUnavailable down; 25% each by default), so a one-replica
/// Deployment brings the new pod up before terminating the old one, as on a real cluster.
extension World {
    package func owned(by owner: KubeObject, _ resource: ResourceType) -> [KubeObject] {
        (index.dependents[owner.metadata.uid] ?? [])
            .filter { $0.resource == resource && $0.namespace == owner.namespace }
            .compactMap { objects[$0] }
            .sorted { $0.key < $1.key }
    }

    static func replicas(_ o: KubeObject) -> Int64 { o.spec["replicas"]?.intValue ?? 1 }

    static func scaled(_ value: JSONValue?, of total: Int64, roundUp: Bool, default fallback: Int64) -> Int64 {
        guard let value else { return fallback }
        if let i = value.intValue { return i }
        if let s = value.stringValue, s.hasSuffix("%"), let pct = Int64(s.dropLast()) {
            let scaled = total * pct
            return roundUp ? (scaled + 99) / 100 : scaled / 100
        }
        return fallback
    }

    mutating func reconcileDeployment(_ key: ObjectKey, ctx: inout Context) {
        guard let deployment = objects[key], !deployment.isTerminating else { return }
        let template = deployment.spec["template"] ?? .object([:])
        let collisions = deployment.status["collisionCount"]?.intValue ?? 0
        let hash = KubeNames.podTemplateHash(template, collisionCount: collisions)
        let desired = Self.replicas(deployment)
        let rolling = deployment.spec[path: ["strategy", "rollingUpdate"]]
        let recreate = deployment.spec[path: ["strategy", "type"]] == "Recreate"
        var maxSurge = recreate ? 0 : Self.scaled(rolling?["maxSurge"], of: desired, roundUp: true, default: (desired + 3) / 4)
        var maxUnavailable =
            recreate ? desired : Self.scaled(rolling?["maxUnavailable"], of: desired, roundUp: false, default: desired / 4)
        if maxSurge == 0, maxUnavailable == 0 { maxUnavailable = 1 }
        maxSurge = max(0, maxSurge)

        var sets = owned(by: deployment, .replicaSets)
        let revisions = sets.compactMap { $0.metadata.annotations["deployment.kubernetes.io/revision"].flatMap { Int64($0) } }
        var newSet = sets.first { $0.labels["pod-template-hash"] == hash }
        let nextRevision = (revisions.max() ?? 0) + 1
        if newSet == nil {
            let name = "\(deployment.name)-\(hash)"
            if objects[ObjectKey(.replicaSets, namespace: key.namespace, name: name)] != nil {
                // Same name, different owner or template: Kubernetes bumps collisionCount and rehashes.
                var d = deployment
                d.status["collisionCount"] = .int(collisions + 1)
                put(d, .modified, ctx: &ctx)
                return reconcileDeployment(key, ctx: &ctx)
            }
            var rsTemplate = template
            var templateLabels = template[path: ["metadata", "labels"]]?.stringMap ?? [:]
            templateLabels["pod-template-hash"] = hash
            if var tm = template["metadata"], case .object = tm {
                tm["labels"] = JSONValue(templateLabels)
                rsTemplate["metadata"] = tm
            } else {
                rsTemplate["metadata"] = ["labels": JSONValue(templateLabels)]
            }
            var selector = deployment.spec["selector"] ?? .object([:])
            var matchLabels = selector["matchLabels"]?.stringMap ?? [:]
            matchLabels["pod-template-hash"] = hash
            selector["matchLabels"] = JSONValue(matchLabels)
            var meta = ObjectMeta(name: name, namespace: key.namespace, labels: templateLabels)
            meta.annotations = [
                "deployment.kubernetes.io/desired-replicas": String(desired),
                "deployment.kubernetes.io/max-replicas": String(desired + maxSurge),
                "deployment.kubernetes.io/revision": String(nextRevision),
            ]
            meta.ownerReferences = [
                OwnerReference(apiVersion: "apps/v1", kind: "Deployment", name: deployment.name, uid: deployment.metadata.uid)
            ]
            let rs = KubeObject(
                resource: .replicaSets, metadata: meta,
                body: ["spec": ["replicas": 0, "selector": selector, "template": rsTemplate]])
            guard let stored = try? insert(rs, ctx: &ctx) else { return }
            newSet = stored
            sets.append(stored)
        } else if let current = newSet, let rev = current.metadata.annotations["deployment.kubernetes.io/revision"],
            Int64(rev) != revisions.max()
        {
            // Rolling back to an older template makes its ReplicaSet the newest revision again.
            var rs = current
            rs.metadata.annotations["deployment.kubernetes.io/revision"] = String(nextRevision)
            newSet = put(rs, .modified, ctx: &ctx)
        }
        guard let newRS = newSet else { return }
        let oldSets = sets.filter { $0.key != newRS.key }
        let oldTotal = oldSets.reduce(0) { $0 + Self.replicas($1) }

        // Scale up the new ReplicaSet within maxSurge.
        var newReplicas = Self.replicas(newRS)
        if oldTotal == 0 || newReplicas > desired {
            newReplicas = desired
        } else {
            let room = desired + maxSurge - (newReplicas + oldTotal)
            newReplicas += max(0, min(room, desired - newReplicas))
        }
        if newReplicas != Self.replicas(newRS) { setReplicas(newRS.key, newReplicas, ctx: &ctx) }

        // Scale down old ReplicaSets while keeping desired − maxUnavailable pods ready.
        let readyNew = Int64(owned(by: newRS, .pods).filter(Self.isReady).count)
        var readyOldTotal: Int64 = 0
        for rs in oldSets { readyOldTotal += Int64(owned(by: rs, .pods).filter(Self.isReady).count) }
        var removable = max(0, readyNew + readyOldTotal - (desired - maxUnavailable))
        for rs in oldSets.sorted(by: { $0.metadata.creationTimestamp < $1.metadata.creationTimestamp }) {
            let current = Self.replicas(rs)
            guard current > 0 else { continue }
            let ready = Int64(owned(by: rs, .pods).filter(Self.isReady).count)
            let unhealthy = max(0, current - ready)
            let fromReady = min(current - unhealthy, removable)
            removable -= fromReady
            let target = current - unhealthy - fromReady
            if target != current { setReplicas(rs.key, target, ctx: &ctx) }
        }
        if let d = objects[key], d.metadata.annotations["deployment.kubernetes.io/revision"]
            != newRS.metadata.annotations["deployment.kubernetes.io/revision"]
        {
            var d = d
            d.metadata.annotations["deployment.kubernetes.io/revision"] =
                objects[newRS.key]?.metadata.annotations["deployment.kubernetes.io/revision"]
            put(d, .modified, ctx: &ctx)
        }
        cleanUpHistory(of: deployment, keeping: newRS.key, ctx: &ctx)
    }

    /// The Deployment controller's `cleanupDeployment`: old ReplicaSets scaled to zero with no pods
    /// left are history, and only the newest `revisionHistoryLimit` of them (default 10) are kept;
    /// the oldest revisions go first. Without this every `rollout restart` leaves one more
    /// ReplicaSet behind for ever.
    mutating func cleanUpHistory(of deployment: KubeObject, keeping newSet: ObjectKey, ctx: inout Context) {
        let limit = max(0, Int(deployment.spec["revisionHistoryLimit"]?.intValue ?? 10))
        let history = owned(by: deployment, .replicaSets).filter { rs in
            rs.key != newSet && !rs.isTerminating && Self.replicas(rs) == 0 && owned(by: rs, .pods).isEmpty
        }
        guard history.count > limit else { return }
        let revision = { (rs: KubeObject) in
            rs.metadata.annotations["deployment.kubernetes.io/revision"].flatMap { Int64($0) } ?? 0
        }
        for rs in history.sorted(by: { (revision($0), $0.name) < (revision($1), $1.name) }).prefix(history.count - limit) {
            _ = beginDeletion(rs, gracePeriodSeconds: nil, ctx: &ctx)
        }
    }

    mutating func setReplicas(_ key: ObjectKey, _ replicas: Int64, ctx: inout Context) {
        guard var rs = objects[key] else { return }
        let old = Self.replicas(rs)
        rs.spec["replicas"] = .int(replicas)
        rs.metadata.generation += 1
        put(rs, .modified, ctx: &ctx)
        recordScaling(rs, from: old, to: replicas, ctx: &ctx)
    }

    mutating func reconcileReplicaSet(_ key: ObjectKey, ctx: inout Context) {
        guard let rs = objects[key], !rs.isTerminating else { return }
        let desired = Self.replicas(rs)
        let active = owned(by: rs, .pods).filter { !$0.isTerminating }
        if active.count < desired {
            createPods(for: rs, missing: Int(desired) - active.count, ctx: &ctx)
        } else if active.count > desired {
            // Unready pods go first, then the newest, as the ReplicaSet controller ranks them.
            let victims = active.sorted { a, b in
                let ra = Self.isReady(a), rb = Self.isReady(b)
                if ra != rb { return !ra }
                return (a.metadata.creationTimestamp, a.name) > (b.metadata.creationTimestamp, b.name)
            }
            for pod in victims.prefix(active.count - Int(desired)) {
                if let current = objects[pod.key] {
                    // Recorded as the DELETE is answered, before the kubelet acts on it (Killing).
                    record("Normal", "SuccessfulDelete", "Deleted pod: \(pod.name)", about: rs, by: .replicaSetController, ctx: &ctx)
                    _ = beginDeletion(current, gracePeriodSeconds: nil, ctx: &ctx)
                }
            }
        }
        let pods = owned(by: rs, .pods).filter { !$0.isTerminating }
        let ready = Int64(pods.filter(Self.isReady).count)
        var status: JSONObject = [
            "replicas": .int(Int64(pods.count)), "fullyLabeledReplicas": .int(Int64(pods.count)),
            "observedGeneration": .int(rs.metadata.generation),
        ]
        if ready > 0 {
            status["readyReplicas"] = .int(ready)
            status["availableReplicas"] = .int(ready)
        }
        if let current = objects[key], current.status != .object(status) {
            var updated = current
            updated.status = .object(status)
            put(updated, .modified, ctx: &ctx)
        }
    }

    /// One pod from the ReplicaSet's template, created as an API request would be: defaulting,
    /// admission (a webhook may change or refuse it) and validation.
    mutating func createPod(for rs: KubeObject, ctx: inout Context) throws(WorldError) -> KubeObject {
        let template = rs.spec["template"] ?? .object([:])
        var meta = ObjectMeta(
            name: "", namespace: rs.namespace,
            labels: template[path: ["metadata", "labels"]]?.stringMap ?? [:],
            annotations: template[path: ["metadata", "annotations"]]?.stringMap ?? [:])
        meta.generateName = "\(rs.name)-"
        meta.ownerReferences = [OwnerReference(apiVersion: "apps/v1", kind: "ReplicaSet", name: rs.name, uid: rs.metadata.uid)]
        let pod = KubeObject(resource: .pods, metadata: meta, body: ["spec": template["spec"] ?? .object([:])])
        return try insert(pod, ctx: &ctx)
    }

    mutating func updateDeploymentStatus(_ key: ObjectKey, ctx: inout Context) {
        guard let d = objects[key], !d.isTerminating else { return }
        let sets = owned(by: d, .replicaSets)
        let hash = KubeNames.podTemplateHash(d.spec["template"] ?? .object([:]), collisionCount: d.status["collisionCount"]?.intValue ?? 0)
        var total: Int64 = 0, updated: Int64 = 0, ready: Int64 = 0
        for rs in sets {
            let pods = owned(by: rs, .pods).filter { !$0.isTerminating }
            total += Int64(pods.count)
            let r = Int64(pods.filter(Self.isReady).count)
            ready += r
            if rs.labels["pod-template-hash"] == hash { updated += Int64(pods.count) }
        }
        let desired = Self.replicas(d)
        let maxUnavailable = Self.scaled(d.spec[path: ["strategy", "rollingUpdate", "maxUnavailable"]], of: desired, roundUp: false, default: desired / 4)
        var status: JSONObject = ["observedGeneration": .int(d.metadata.generation)]
        if total > 0 { status["replicas"] = .int(total) }
        if updated > 0 { status["updatedReplicas"] = .int(updated) }
        if ready > 0 {
            status["readyReplicas"] = .int(ready)
            status["availableReplicas"] = .int(ready)
        }
        if total - ready > 0 { status["unavailableReplicas"] = .int(total - ready) }
        if let c = d.status["collisionCount"] { status["collisionCount"] = c }
        let available = ready >= desired - maxUnavailable
        let complete = updated == desired && ready == desired && total == desired
        let old = d.status["conditions"]?.arrayValue ?? []
        func condition(_ type: String, _ ok: Bool, _ reason: String, _ message: String) -> JSONValue {
            let previous = old.first { $0["type"]?.stringValue == type }
            let same = previous?["status"] == .string(ok ? "True" : "False") && previous?["reason"] == .string(reason)
            let now = JSONValue.string(meta.now.rfc3339)
            return [
                "type": .string(type), "status": .string(ok ? "True" : "False"), "reason": .string(reason),
                "message": .string(message),
                "lastUpdateTime": same ? (previous?["lastUpdateTime"] ?? now) : now,
                "lastTransitionTime": same ? (previous?["lastTransitionTime"] ?? now) : now,
            ]
        }
        let newName = sets.first { $0.labels["pod-template-hash"] == hash }?.name ?? "\(d.name)-\(hash)"
        status["conditions"] = [
            condition(
                "Available", available, available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available ? "Deployment has minimum availability." : "Deployment does not have minimum availability."),
            condition(
                "Progressing", true, complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                complete
                    ? "ReplicaSet \"\(newName)\" has successfully progressed."
                    : "ReplicaSet \"\(newName)\" is progressing."),
        ]
        if d.status != .object(status) {
            var updatedDeployment = d
            updatedDeployment.status = .object(status)
            put(updatedDeployment, .modified, ctx: &ctx)
        }
    }
}
