/// Workload kinds every cluster serves but the emulated one does not run: it has no StatefulSet or
/// DaemonSet controller. They are served so that `kubectl get` naming them (as a cluster dump's
/// `kubectl get namespaces,deployments,statefulsets,daemonsets,… -A -o yaml` does) lists them,
/// empty, instead of failing with `the server doesn't have a resource type`; creating one is
/// refused (`World.refuseListOnly`) rather than stored and never run. Names, group and short names
/// as `kubectl api-resources` lists them on Kubernetes 1.32.
extension ResourceType {
    package static let statefulSets = ResourceType(
        group: "apps", plural: "statefulsets", singular: "statefulset", kind: "StatefulSet", namespaced: true,
        shortNames: ["sts"])
    package static let daemonSets = ResourceType(
        group: "apps", plural: "daemonsets", singular: "daemonset", kind: "DaemonSet", namespaced: true,
        shortNames: ["ds"])

    /// Served for listing only, with why a write is refused.
    package static let listOnly: [ResourceType: String] = [
        .statefulSets: "xdsemu runs no StatefulSet controller, so nothing would create its pods",
        .daemonSets: "xdsemu runs no DaemonSet controller, so nothing would create its pods",
    ]
}

extension World {
    /// Refuses creating a kind served for listing only, in the API server's words for an action a
    /// resource does not support (405, `NewMethodNotSupported` in
    /// `staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go`@v1.32.0), with the reason after them.
    static func refuseListOnly(_ resource: ResourceType) throws(WorldError) {
        guard let reason = ResourceType.listOnly[resource] else { return }
        throw WorldError(
            .methodNotAllowed, "create is not supported on resources of kind \"\(resource.qualifiedName)\": \(reason)",
            resource: resource)
    }
}
