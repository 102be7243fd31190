import JSON
/// The two objects the endpoint controllers write for one Service, from the pods it selects.
extension World {
    /// The endpoints controller's `syncService`: ready pods in `addresses`, the others in
    /// `notReadyAddresses`, grouped into subsets by the ports they resolve (`RepackSubsets`);
    /// terminating pods are left out unless the Service publishes unready addresses.
    mutating func syncEndpointsObject(_ service: KubeObject, pods: [KubeObject], trigger: Timestamp?, ctx: inout Context) {
        let publish = service.spec["publishNotReadyAddresses"]?.boolValue ?? false
        let portless = (service.spec["ports"]?.arrayValue ?? []).isEmpty
        var groups: [[ResolvedPort]: (ready: [JSONValue], notReady: [JSONValue])] = [:]
        for pod in pods where Self.isEndpointCandidate(pod, includeTerminating: publish) {
            let ports = Self.resolvedPorts(service, pod: pod).sorted()
            if ports.isEmpty, !portless { continue }
            var address: JSONObject = ["ip": pod.status["podIP"] ?? ""]
            if let hostname = pod.spec["hostname"]?.stringValue, pod.spec["subdomain"]?.stringValue == service.name {
                address["hostname"] = .string(hostname)
            }
            if let node = pod.spec["nodeName"]?.stringValue { address["nodeName"] = .string(node) }
            address["targetRef"] = Self.podReference(pod)
            if publish || Self.isReady(pod) {
                groups[ports, default: ([], [])].ready.append(.object(address))
            } else {
                groups[ports, default: ([], [])].notReady.append(.object(address))
            }
        }
        let byIP: (JSONValue, JSONValue) -> Bool = {
            ($0["ip"]?.stringValue ?? "", $0[path: ["targetRef", "name"]]?.stringValue ?? "")
                < ($1["ip"]?.stringValue ?? "", $1[path: ["targetRef", "name"]]?.stringValue ?? "")
        }
        let subsets: [JSONValue] = groups.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { ports in
            let group = groups[ports]!
            var subset: JSONObject = [:]
            if !group.ready.isEmpty { subset["addresses"] = .array(group.ready.sorted(by: byIP)) }
            if !group.notReady.isEmpty { subset["notReadyAddresses"] = .array(group.notReady.sorted(by: byIP)) }
            if !ports.isEmpty {
                subset["ports"] = .array(
                    ports.map { p in
                        var port: JSONObject = [:]
                        if !p.name.isEmpty { port["name"] = .string(p.name) }
                        port["port"] = .int(p.port)
                        port["protocol"] = .string(p.proto)
                        if let app = p.appProtocol { port["appProtocol"] = .string(app) }
                        return .object(port)
                    })
            }
            return .object(subset)
        }
        let key = ObjectKey(.endpoints, namespace: service.namespace, name: service.name)
        let labels = Self.serviceLabels(service)
        let body: JSONObject = subsets.isEmpty ? [:] : ["subsets": .array(subsets)]
        if let current = objects[key], current.body == body, current.labels == labels { return }
        var meta = ObjectMeta(name: service.name, namespace: service.namespace, labels: labels)
        meta.annotations = objects[key]?.metadata.annotations ?? [:]
        meta.annotations[Self.triggerTimeAnnotation] = trigger?.rfc3339
        storeControlled(KubeObject(resource: .endpoints, metadata: meta, body: body), ctx: &ctx)
    }

    /// The endpointslice reconciler: one endpoint per pod with an IP (terminating ones included,
    /// with `ready: false`), in slices of at most 100 that share one port list; existing slices
    /// are reused (names kept), extra ones deleted, and a Service with no endpoints keeps one
    /// empty placeholder slice.
    mutating func syncEndpointSlices(
        _ service: KubeObject, pods: [KubeObject], existing: [KubeObject], trigger: Timestamp?, ctx: inout Context
    ) {
        let publish = service.spec["publishNotReadyAddresses"]?.boolValue ?? false
        var groups: [[ResolvedPort]: [JSONValue]] = [:]
        var order: [[ResolvedPort]] = []
        for pod in pods.sorted(by: { ($0.status["podIP"]?.stringValue ?? "", $0.name) < ($1.status["podIP"]?.stringValue ?? "", $1.name) })
        where Self.isEndpointCandidate(pod, includeTerminating: true) {
            let ports = Self.resolvedPorts(service, pod: pod)
            let serving = Self.readyConditionTrue(pod)  // `IsPodReady`: the condition alone
            let terminating = pod.isTerminating
            var endpoint: JSONObject = [
                "addresses": [pod.status["podIP"] ?? ""],
                "conditions": [
                    "ready": .bool(publish || (serving && !terminating)), "serving": .bool(serving),
                    "terminating": .bool(terminating),
                ],
            ]
            if let hostname = pod.spec["hostname"]?.stringValue, pod.spec["subdomain"]?.stringValue == service.name {
                endpoint["hostname"] = .string(hostname)
            }
            endpoint["targetRef"] = Self.podReference(pod)
            if let node = pod.spec["nodeName"]?.stringValue { endpoint["nodeName"] = .string(node) }
            if groups[ports] == nil { order.append(ports) }
            groups[ports, default: []].append(.object(endpoint))
        }
        var desired: [(ports: JSONValue, endpoints: JSONValue)] = []
        for ports in order {
            let portsJSON = JSONValue.array(
                ports.map { p in
                    var port: JSONObject = ["name": .string(p.name), "port": .int(p.port), "protocol": .string(p.proto)]
                    if let app = p.appProtocol { port["appProtocol"] = .string(app) }
                    return .object(port)
                })
            let all = groups[ports]!
            for start in stride(from: 0, to: all.count, by: Self.maxEndpointsPerSlice) {
                desired.append((ports.isEmpty ? .null : portsJSON, .array(Array(all[start..<min(all.count, start + Self.maxEndpointsPerSlice)]))))
            }
        }
        if desired.isEmpty { desired = [(.null, .null)] }  // the placeholder slice

        let prefix = service.name.count < 253 ? "\(service.name)-" : service.name
        var labels = Self.serviceLabels(service).filter {
            $0.key != Self.serviceNameLabel && $0.key != Self.managedByLabel
        }
        labels[Self.serviceNameLabel] = service.name
        labels[Self.managedByLabel] = Self.sliceControllerName
        var unused = existing.sorted { $0.name < $1.name }
        for want in desired {
            let reuse = unused.firstIndex { $0.body["ports"] == want.ports } ?? (unused.isEmpty ? nil : 0)
            let current = reuse.map { unused.remove(at: $0) }
            let body: JSONObject = ["addressType": "IPv4", "endpoints": want.endpoints, "ports": want.ports]
            if let current, current.body == body, current.labels == labels { continue }
            var meta = ObjectMeta(
                name: current?.name ?? newSliceName(prefix: prefix, namespace: service.namespace), namespace: service.namespace,
                labels: labels)
            meta.generateName = prefix
            meta.annotations = current?.metadata.annotations ?? [:]
            meta.annotations[Self.triggerTimeAnnotation] = trigger?.rfc3339
            meta.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "Service", name: service.name, uid: service.metadata.uid)]
            storeControlled(KubeObject(resource: .endpointSlices, metadata: meta, body: body), ctx: &ctx)
        }
        for slice in unused { remove(slice.key, ctx: &ctx) }
    }

    static func readyConditionTrue(_ pod: KubeObject) -> Bool {
        (pod.status["conditions"]?.arrayValue ?? []).contains { $0["type"] == "Ready" && $0["status"] == "True" }
    }

    /// `generateName` + 5 characters, drawn from a generator of the slice's own so the world's
    /// main one (pod names, UIDs) draws the same sequence whether or not slices exist.
    func newSliceName(prefix: String, namespace: String) -> String {
        var rng = derivedRandom("\(namespace)/\(prefix)")
        var name = KubeNames.generated(from: prefix, using: &rng)
        // 27^5 names per prefix: a few draws always find a free one.
        for _ in 0..<100 where objects[ObjectKey(.endpointSlices, namespace: namespace, name: name)] != nil {
            name = KubeNames.generated(from: prefix, using: &rng)
        }
        return name
    }
}
