import JSON
/// Typed read-only views of the objects a controller outside this module needs (pods and services, to build
/// clusters and endpoints), so it never digs through JSON itself.
package struct PodView: Hashable, Sendable {
    package var name: String
    package var namespace: String
    package var uid: String
    package var labels: [String: String]
    package var annotations: [String: String]
    /// Empty until the pod's sandbox is up (the Running stage).
    package var ip: String
    package var phase: String
    /// Ready condition true and not terminating: what makes a pod an endpoint.
    package var isReady: Bool
    package var isTerminating: Bool
    package var containerNames: [String]
    package var initContainerNames: [String]
    package var serviceAccount: String
    package var ownerReplicaSet: String?
    package var resourceVersion: UInt64

    package init(_ pod: KubeObject) {
        name = pod.name
        namespace = pod.namespace
        uid = pod.metadata.uid
        labels = pod.labels
        annotations = pod.metadata.annotations
        ip = pod.status["podIP"]?.stringValue ?? ""
        phase = pod.status["phase"]?.stringValue ?? "Pending"
        isReady = World.isReady(pod)
        isTerminating = pod.isTerminating
        containerNames = (pod.spec["containers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        initContainerNames = (pod.spec["initContainers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
        serviceAccount = pod.spec["serviceAccountName"]?.stringValue ?? "default"
        ownerReplicaSet = pod.metadata.ownerReferences.first { $0.kind == "ReplicaSet" }?.name
        resourceVersion = pod.metadata.resourceVersion
    }
}

package struct ServicePortView: Hashable, Sendable {
    package var name: String
    package var port: Int
    package var targetPort: Int?
    package var `protocol`: String
}

package struct ServiceView: Hashable, Sendable {
    package var name: String
    package var namespace: String
    package var clusterIP: String
    package var ports: [ServicePortView]
    /// nil for a service without a selector (its endpoints are managed by hand).
    package var selector: [String: String]?
    package var labels: [String: String]
    package var resourceVersion: UInt64

    package init(_ service: KubeObject) {
        name = service.name
        namespace = service.namespace
        clusterIP = service.spec["clusterIP"]?.stringValue ?? ""
        ports = (service.spec["ports"]?.arrayValue ?? []).map { p in
            ServicePortView(
                name: p["name"]?.stringValue ?? "", port: Int(p["port"]?.intValue ?? 0),
                targetPort: p["targetPort"]?.intValue.map { Int($0) }, protocol: p["protocol"]?.stringValue ?? "TCP")
        }
        selector = service.spec["selector"]?.stringMap
        labels = service.labels
        resourceVersion = service.metadata.resourceVersion
    }

    /// `<name>.<namespace>.svc.cluster.local`, the Service's cluster DNS name.
    package var hostname: String { "\(name).\(namespace).svc.cluster.local" }
}

extension World {
    package func pods(in namespace: String? = nil) -> [PodView] {
        list(.pods, namespace: namespace).map(PodView.init)
    }

    package func services(in namespace: String? = nil) -> [ServiceView] {
        list(.services, namespace: namespace).map(ServiceView.init)
    }

    package func namespaceLabels(_ namespace: String) -> [String: String]? {
        objects[ObjectKey(.namespaces, name: namespace)]?.labels
    }

    /// Pods a service selects that are ready, with an IP: the service's endpoints.
    package func endpoints(of service: ServiceView) -> [PodView] {
        guard let selector = service.selector, !selector.isEmpty else { return [] }
        return pods(in: service.namespace).filter { pod in
            pod.isReady && !pod.ip.isEmpty && selector.allSatisfy { pod.labels[$0.key] == $0.value }
        }
    }
}
