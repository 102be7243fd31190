/// The kinds every cluster has besides workloads: the node, the endpoints a Service's pods make
/// (both the core Endpoints and discovery.k8s.io EndpointSlices), and the node's heartbeat Lease.
/// Names, groups and short names as `kubectl api-resources` lists them on Kubernetes 1.32.
extension ResourceType {
    package static let nodes = ResourceType(
        group: "", plural: "nodes", singular: "node", kind: "Node", namespaced: false, shortNames: ["no"])
    package static let endpoints = ResourceType(
        group: "", plural: "endpoints", singular: "endpoints", kind: "Endpoints", namespaced: true, shortNames: ["ep"])
    package static let endpointSlices = ResourceType(
        group: "discovery.k8s.io", plural: "endpointslices", singular: "endpointslice", kind: "EndpointSlice",
        namespaced: true)
    package static let leases = ResourceType(
        group: "coordination.k8s.io", plural: "leases", singular: "lease", kind: "Lease", namespaced: true)
}
