import JSON
/// A typed, read-only view of one stored EndpointSlice, for consumers outside this module (istiod's
/// endpoint generator) that must see exactly what `kubectl get endpointslices` shows.
package struct EndpointSliceView: Hashable, Sendable {
    package struct Port: Hashable, Sendable {
        package var name: String
        /// nil: "all ports" (a slice port without a number).
        package var port: Int?
        package var `protocol`: String
    }

    package struct Endpoint: Hashable, Sendable {
        package var addresses: [String]
        /// `conditions.ready`; an unset condition counts as ready, as the API documents.
        package var isReady: Bool
        package var isTerminating: Bool
        /// The pod behind the endpoint (`targetRef.name`), if any.
        package var podName: String?
    }

    package var name: String
    package var namespace: String
    /// The `kubernetes.io/service-name` label: the Service the slice belongs to.
    package var serviceName: String
    package var ports: [Port]
    package var endpoints: [Endpoint]

    package init(_ slice: KubeObject) {
        name = slice.name
        namespace = slice.namespace
        serviceName = slice.labels[World.serviceNameLabel] ?? ""
        ports = (slice.body["ports"]?.arrayValue ?? []).map { p in
            Port(
                name: p["name"]?.stringValue ?? "", port: p["port"]?.intValue.map { Int($0) },
                protocol: p["protocol"]?.stringValue ?? "TCP")
        }
        endpoints = (slice.body["endpoints"]?.arrayValue ?? []).map { e in
            Endpoint(
                addresses: (e["addresses"]?.arrayValue ?? []).compactMap(\.stringValue),
                isReady: e[path: ["conditions", "ready"]]?.boolValue ?? true,
                isTerminating: e[path: ["conditions", "terminating"]]?.boolValue ?? false,
                podName: e[path: ["targetRef", "name"]]?.stringValue)
        }
    }
}

extension World {
    /// Every EndpointSlice that names a Service, grouped by that Service's `namespace/name`, in one
    /// walk over the store.
    package func endpointSlicesByService() -> [String: [EndpointSliceView]] {
        var result: [String: [EndpointSliceView]] = [:]
        for o in index.keys(.endpointSlices).compactMap({ objects[$0] }) {
            let view = EndpointSliceView(o)
            guard !view.serviceName.isEmpty else { continue }
            result["\(view.namespace)/\(view.serviceName)", default: []].append(view)
        }
        for key in result.keys { result[key]?.sort { $0.name < $1.name } }
        return result
    }
}
