import JSON
/// The endpoints and endpointslice controllers: every Service with a selector gets an Endpoints
/// object of the same name and one or more EndpointSlices (`<service>-<5 chars>`), rebuilt from
/// the pods it selects whenever one of them, or the Service, changes
/// (`pkg/controller/endpoint/endpoints_controller.go@v1.32.0`,
/// `staging/src/k8s.io/endpointslice/reconciler.go@v1.32.0`).
///
/// Incremental: each pass of `settle` reads only the events since the previous pass. A pod event
/// touches the Services of its namespace whose selector matches the pod, or whose slices still
/// list it; only those are recomputed. What those namespaces hold is read from the world's index
/// (their Services, pods and slices), not from a walk over the store.
extension World {
    static let serviceNameLabel = "kubernetes.io/service-name"
    static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    static let sliceControllerName = "endpointslice-controller.k8s.io"
    static let headlessLabel = "service.kubernetes.io/headless"
    static let triggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time"
    /// kube-controller-manager's `--max-endpoints-per-slice` default.
    static let maxEndpointsPerSlice = 100

    /// What one namespace holds that endpoints are computed from.
    struct EndpointInputs {
        var services: [KubeObject] = []
        var pods: [KubeObject] = []
        var slices: [String: [KubeObject]] = [:]
    }

    mutating func syncEndpoints(ctx: inout Context) {
        guard ctx.endpointsCursor < ctx.events.count else { return }
        var changedPods: [String: [String: KubeObject]] = [:]
        var changedServices: [ObjectKey: Bool] = [:]  // value: the Service was created in this write
        for event in ctx.events[ctx.endpointsCursor...] {
            let o = event.object
            if o.resource == .pods {
                changedPods[o.namespace, default: [:]][o.name] = o
            } else if o.resource == .services {
                changedServices[o.key] = (changedServices[o.key] ?? false) || event.type == .added
            }
        }
        ctx.endpointsCursor = ctx.events.count
        guard !changedPods.isEmpty || !changedServices.isEmpty else { return }

        let namespaces = Set(changedPods.keys).union(changedServices.keys.map(\.namespace))
        var inputs: [String: EndpointInputs] = [:]
        let read: [ResourceType] = [.services, .pods, .endpointSlices]
        for o in namespaces.flatMap({ ns in read.flatMap { index.keys($0, namespace: ns) } }).compactMap({ objects[$0] }) {
            switch o.resource {
            case .services: inputs[o.namespace, default: .init()].services.append(o)
            case .pods: inputs[o.namespace, default: .init()].pods.append(o)
            case .endpointSlices where o.labels[Self.managedByLabel] == Self.sliceControllerName:
                if let service = o.labels[Self.serviceNameLabel] {
                    inputs[o.namespace, default: .init()].slices[service, default: []].append(o)
                }
            default: break
            }
        }

        for key in changedServices.keys.sorted() where objects[key] == nil {
            remove(ObjectKey(.endpoints, namespace: key.namespace, name: key.name), ctx: &ctx)
            for slice in inputs[key.namespace]?.slices[key.name] ?? [] { remove(slice.key, ctx: &ctx) }
        }
        for namespace in namespaces.sorted() {
            guard let input = inputs[namespace] else { continue }
            let changed = changedPods[namespace] ?? [:]
            for service in input.services.sorted(by: { $0.key < $1.key }) {
                guard let selector = Self.endpointSelector(service) else { continue }
                let listed = Set(
                    (input.slices[service.name] ?? []).flatMap { ($0.body["endpoints"]?.arrayValue ?? []) }
                        .compactMap { $0[path: ["targetRef", "name"]]?.stringValue })
                let touched =
                    changedServices[service.key] != nil
                    || changed.values.contains { pod in
                        listed.contains(pod.name) || selector.allSatisfy { pod.labels[$0.key] == $0.value }
                    }
                guard touched else { continue }
                let selected = input.pods.filter { pod in selector.allSatisfy { pod.labels[$0.key] == $0.value } }
                    .sorted { $0.name < $1.name }
                let trigger = Self.triggerTime(
                    service, selected: selected, changed: changed, serviceCreated: changedServices[service.key] == true)
                syncEndpointsObject(service, pods: selected, trigger: trigger, ctx: &ctx)
                syncEndpointSlices(service, pods: selected, existing: input.slices[service.name] ?? [], trigger: trigger, ctx: &ctx)
            }
        }
    }

    /// The selector the controllers follow; nil (no selector, or an empty one, which the API
    /// server stores as none) means the Service's endpoints are managed by hand.
    static func endpointSelector(_ service: KubeObject) -> [String: String]? {
        guard let selector = service.spec["selector"]?.stringMap, !selector.isEmpty else { return nil }
        return selector
    }

    /// `TriggerTimeTracker.ComputeEndpointLastChangeTriggerTime`: a new Service's creation time;
    /// otherwise the earliest Ready-condition transition among the selected pods that changed.
    static func triggerTime(
        _ service: KubeObject, selected: [KubeObject], changed: [String: KubeObject], serviceCreated: Bool
    ) -> Timestamp? {
        if serviceCreated { return service.metadata.creationTimestamp }
        return selected.filter { changed[$0.name] != nil }.compactMap { pod in
            (pod.status["conditions"]?.arrayValue ?? []).first { $0["type"] == "Ready" }?["lastTransitionTime"]?
                .stringValue.flatMap { Timestamp(rfc3339: $0) }
        }.min()
    }

    /// `ShouldPodBeInEndpoints`: a pod with an IP that has not finished; terminating pods only
    /// where asked (slices list them, Endpoints do not unless the Service publishes unready ones).
    static func isEndpointCandidate(_ pod: KubeObject, includeTerminating: Bool) -> Bool {
        let phase = pod.status["phase"]?.stringValue
        if phase == "Succeeded" || phase == "Failed" { return false }
        if (pod.status["podIP"]?.stringValue ?? "").isEmpty { return false }
        return includeTerminating || !pod.isTerminating
    }

    /// One resolved port of a Service for one pod: `podutil.FindPort` (a numeric targetPort as is,
    /// a named one through the pod's container ports of the same protocol).
    struct ResolvedPort: Hashable, Comparable {
        var name: String
        var port: Int64
        var proto: String
        var appProtocol: String?

        static func < (a: Self, b: Self) -> Bool { (a.name, a.port, a.proto) < (b.name, b.port, b.proto) }
    }

    static func resolvedPorts(_ service: KubeObject, pod: KubeObject) -> [ResolvedPort] {
        (service.spec["ports"]?.arrayValue ?? []).compactMap { p in
            let proto = p["protocol"]?.stringValue ?? "TCP"
            let number: Int64?
            switch p["targetPort"] ?? p["port"] {
            case .int(let n)?: number = n == 0 ? p["port"]?.intValue : n
            case .string(let name)?:
                number = (pod.spec["containers"]?.arrayValue ?? []).lazy.flatMap { $0["ports"]?.arrayValue ?? [] }
                    .first { $0["name"]?.stringValue == name && ($0["protocol"]?.stringValue ?? "TCP") == proto }?["containerPort"]?
                    .intValue
            default: number = nil
            }
            guard let number else { return nil }
            return ResolvedPort(
                name: p["name"]?.stringValue ?? "", port: number, proto: proto, appProtocol: p["appProtocol"]?.stringValue)
        }
    }

    /// The labels both controllers give their objects: the Service's own, plus the headless marker.
    static func serviceLabels(_ service: KubeObject) -> [String: String] {
        var labels = service.labels
        if service.spec["clusterIP"] == "None" { labels[headlessLabel] = "" } else { labels[headlessLabel] = nil }
        return labels
    }

    static func podReference(_ pod: KubeObject) -> JSONValue {
        [
            "kind": "Pod", "namespace": .string(pod.namespace), "name": .string(pod.name),
            "uid": .string(pod.metadata.uid),
        ]
    }

    /// Whether a namespace still takes new objects (not gone, not terminating).
    func acceptsContent(_ namespace: String) -> Bool {
        guard let ns = objects[ObjectKey(.namespaces, name: namespace)] else { return false }
        return !ns.isTerminating
    }

    /// Stores `object` as a controller does: created with a UID of its own if new, replaced if it
    /// differs from what is stored, left alone otherwise.
    mutating func storeControlled(_ object: KubeObject, ctx: inout Context) {
        var object = object
        if let current = objects[object.key] {
            object.metadata.uid = current.metadata.uid
            object.metadata.creationTimestamp = current.metadata.creationTimestamp
            object.metadata.resourceVersion = current.metadata.resourceVersion
            // Of these kinds only EndpointSlices count generations (their registry strategy does).
            object.metadata.generation =
                object.resource == .endpointSlices ? current.metadata.generation + (object.body != current.body ? 1 : 0) : 0
            if object == current { return }
            put(object, .modified, ctx: &ctx)
        } else {
            guard !object.resource.namespaced || acceptsContent(object.namespace) else { return }
            object.metadata.uid = systemUID(for: object.key)
            object.metadata.creationTimestamp = meta.now
            object.metadata.generation = object.resource == .endpointSlices ? 1 : 0
            put(object, .added, ctx: &ctx)
        }
    }
}
