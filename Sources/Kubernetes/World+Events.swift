import JSON
/// Who records an event, as the cluster's components identify themselves. The kubelet and
/// kube-controller-manager use client-go's `core/v1` recorder (`tools/record/event.go`:
/// `source` plus `reportingComponent`/`reportingInstance` copied from it); the scheduler uses the
/// `events.k8s.io/v1` recorder (`tools/events`), whose events carry `eventTime`, `action` and
/// `reportingController`/`reportingInstance` and no `source`, count or first/last timestamps.
struct EventReporter: Hashable, Sendable {
    var component: String
    var host: String = ""
    /// Set for the events API recorder: its `action` (the scheduler's is `Binding`).
    var action: String? = nil
    var instance: String = ""

    static let replicaSetController = EventReporter(component: "replicaset-controller")
    static let deploymentController = EventReporter(component: "deployment-controller")
    static func kubelet(_ node: String) -> EventReporter { EventReporter(component: "kubelet", host: node, instance: node) }
    /// `pkg/scheduler/schedule_one.go@v1.32.0`: `Eventf(pod, nil, Normal, "Scheduled", "Binding", …)`.
    static func scheduler(_ node: String) -> EventReporter {
        EventReporter(component: "default-scheduler", action: "Binding", instance: "default-scheduler-\(node)")
    }
}

extension World {
    /// Records an event about `object` as client-go's recorder would, through its
    /// `EventCorrelator`: an event with the same source, object, type, reason and message as a
    /// stored one is that event again (count + 1, `lastTimestamp` now, same name); a new one is
    /// named `<object>.<hex of the time in ns>` like `makeEvent`'s. Events about objects in a
    /// namespace that is gone or terminating are dropped, as the API server refuses them.
    mutating func record(
        _ type: String, _ reason: String, _ message: String, about object: KubeObject, fieldPath: String? = nil,
        by reporter: EventReporter, ctx: inout Context
    ) {
        let namespace = object.namespace.isEmpty ? "default" : object.namespace
        guard let ns = objects[ObjectKey(.namespaces, name: namespace)], !ns.isTerminating else { return }
        var ref: JSONObject = [
            "kind": .string(object.resource.kind), "namespace": .string(object.namespace), "name": .string(object.name),
            "uid": .string(object.metadata.uid), "apiVersion": .string(object.resource.apiVersion),
            "resourceVersion": .string(String(object.metadata.resourceVersion)),
        ]
        if object.namespace.isEmpty { ref["namespace"] = nil }
        if let fieldPath { ref["fieldPath"] = .string(fieldPath) }
        let now = JSONValue.string(meta.now.rfc3339)
        var body: JSONObject = ["involvedObject": .object(ref), "reason": .string(reason), "message": .string(message), "type": .string(type)]
        if let action = reporter.action {
            body["source"] = .object([:])
            body["firstTimestamp"] = .null
            body["lastTimestamp"] = .null
            body["eventTime"] = .string(Self.microTime(meta.now))
            body["action"] = .string(action)
        } else {
            var source: JSONObject = ["component": .string(reporter.component)]
            if !reporter.host.isEmpty { source["host"] = .string(reporter.host) }
            body["source"] = .object(source)
            body["firstTimestamp"] = now
            body["lastTimestamp"] = now
            body["count"] = 1
            body["eventTime"] = .null
        }
        body["reportingComponent"] = .string(reporter.component)
        body["reportingInstance"] = .string(reporter.instance)
        var event = KubeObject(resource: .events, metadata: ObjectMeta(name: "", namespace: namespace), body: body)
        if reporter.action == nil, var seen = eventStore.correlated(EventStore.correlationKey(event)) {
            seen.body["count"] = .int((seen.body["count"]?.intValue ?? 1) + 1)
            seen.body["lastTimestamp"] = now
            seen.body["involvedObject"] = .object(ref)
            put(seen, .modified, ctx: &ctx)
            return
        }
        // Nanoseconds from the world's millisecond clock, made unique by the resource version.
        let nanos = UInt64(max(0, meta.now.milliseconds)) &* 1_000_000 &+ (meta.resourceVersion + 1) % 1_000_000
        event.metadata.name = "\(object.name).\(String(nanos, radix: 16))"
        event.metadata.uid = eventStore.newUID()
        event.metadata.creationTimestamp = meta.now
        put(event, .added, ctx: &ctx)
    }

    /// `metav1.MicroTime`: RFC 3339 with six fractional digits.
    static func microTime(_ t: Timestamp) -> String {
        let ms = ((t.milliseconds % 1000) + 1000) % 1000
        let base = Timestamp(milliseconds: t.milliseconds - ms).rfc3339.dropLast()
        let frac = String(ms)
        return "\(base).\(String(repeating: "0", count: 3 - frac.count))\(frac)000Z"
    }

    /// Whether pods or controllers have work scheduled (event expiries aside).
    package var hasPendingTransitions: Bool { !meta.transitions.isEmpty }

    /// Removes one event whose TTL ran out, at its own time.
    mutating func expireEvent(_ key: ObjectKey, ctx: inout Context) {
        if let due = eventStore.nextExpiry, due > meta.now { meta.now = due }
        remove(key, ctx: &ctx)
    }

    // MARK: The kubelet's and the scheduler's events about a pod

    /// What the scheduler and the kubelet record as a pod reaches `stage`: `Scheduled` when it is
    /// bound; `Pulled`, `Created`, `Started` per container as the kubelet starts it, init
    /// containers first (`pkg/kubelet/kuberuntime/kuberuntime_container.go@v1.32.0`,
    /// `images/image_manager.go`). Images are taken as already on the node, the pattern of a
    /// cluster that has run the workload before (no registry is ever contacted).
    mutating func recordPodStage(_ pod: KubeObject, _ stage: PodStage, ctx: inout Context) {
        switch stage {
        case .scheduled:
            record(
                "Normal", "Scheduled", "Successfully assigned \(pod.namespace)/\(pod.name) to \(config.nodeName)",
                about: pod, by: .scheduler(config.nodeName), ctx: &ctx)
        case .creating:
            recordContainersStarted(pod, field: "initContainers", ctx: &ctx)
        case .started:
            recordContainersStarted(pod, field: "containers", ctx: &ctx)
        default:
            break
        }
    }

    mutating func recordContainersStarted(_ pod: KubeObject, field: String, ctx: inout Context) {
        let kubelet = EventReporter.kubelet(config.nodeName)
        for container in pod.spec[field]?.arrayValue ?? [] {
            guard let name = container["name"]?.stringValue else { continue }
            let image = container["image"]?.stringValue ?? ""
            let path = "spec.\(field){\(name)}"
            record("Normal", "Pulled", "Container image \"\(image)\" already present on machine", about: pod, fieldPath: path, by: kubelet, ctx: &ctx)
            record("Normal", "Created", "Created container: \(name)", about: pod, fieldPath: path, by: kubelet, ctx: &ctx)
            record("Normal", "Started", "Started container \(name)", about: pod, fieldPath: path, by: kubelet, ctx: &ctx)
        }
    }

    /// `Killing`/`Stopping container <name>` for each running container of a pod being deleted
    /// (`killContainer` in `kuberuntime_container.go@v1.32.0`).
    mutating func recordKilling(_ pod: KubeObject, ctx: inout Context) {
        let kubelet = EventReporter.kubelet(config.nodeName)
        for status in pod.status["containerStatuses"]?.arrayValue ?? [] where status["state"]?["running"] != nil {
            guard let name = status["name"]?.stringValue else { continue }
            record("Normal", "Killing", "Stopping container \(name)", about: pod, fieldPath: "spec.containers{\(name)}", by: kubelet, ctx: &ctx)
        }
    }

    /// The Deployment controller's `ScalingReplicaSet` on the ReplicaSet's owning Deployment
    /// (`pkg/controller/deployment/sync.go@v1.32.0`, `scaleReplicaSet`).
    mutating func recordScaling(_ rs: KubeObject, from old: Int64, to new: Int64, ctx: inout Context) {
        guard old != new, let owner = rs.metadata.ownerReferences.first(where: { $0.controller && $0.kind == "Deployment" }),
            let deployment = objects[ObjectKey(.deployments, namespace: rs.namespace, name: owner.name)],
            deployment.metadata.uid == owner.uid
        else { return }
        let direction = new > old ? "up" : "down"
        record(
            "Normal", "ScalingReplicaSet", "Scaled \(direction) replica set \(rs.name) from \(old) to \(new)", about: deployment,
            by: .deploymentController, ctx: &ctx)
    }
}
