import JSON
/// Typed read-only views of the objects a controller outside this module needs (pods and services, to build
/// clusters and endpoints), so it never digs through JSON itself.
public struct PodView: Hashable, Sendable {
    public var name: String
    public var namespace: String
    public var uid: String
    public var labels: [String: String]
    public var annotations: [String: String]
    /// Empty until the pod's sandbox is up (the Running stage).
    public var ip: String
    public var phase: String
    /// Ready condition true and not terminating: what makes a pod an endpoint.
    public var isReady: Bool
    public var isTerminating: Bool
    public var containerNames: [String]
    public var initContainerNames: [String]
    public var serviceAccount: String
    public var ownerReplicaSet: String?
    public var resourceVersion: UInt64

    public init(_ pod: KubeObject) {
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

public struct ServicePortView: Hashable, Sendable {
    public var name: String
    public var port: Int
    public var targetPort: Int?
    public var `protocol`: String
}

public struct ServiceView: Hashable, Sendable {
    public var name: String
    public var namespace: String
    public var clusterIP: String
    public var ports: [ServicePortView]
    /// nil for a service without a selector (its endpoints are managed by hand).
    public var selector: [String: String]?
    public var labels: [String: String]
    public var resourceVersion: UInt64

    public init(_ service: KubeObject) {
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
    public var hostname: String { "\(name).\(namespace).svc.cluster.local" }
}

extension World {
    public func pods(in namespace: String? = nil) -> [PodView] {
        list(.pods, namespace: namespace).map(PodView.init)
    }

    public func services(in namespace: String? = nil) -> [ServiceView] {
        list(.services, namespace: namespace).map(ServiceView.init)
    }

    public func namespaceLabels(_ namespace: String) -> [String: String]? {
        objects[ObjectKey(.namespaces, name: namespace)]?.labels
    }

    /// Pods a service selects that are ready, with an IP: the service's endpoints.
    public func endpoints(of service: ServiceView) -> [PodView] {
        guard let selector = service.selector, !selector.isEmpty else { return [] }
        return pods(in: service.namespace).filter { pod in
            pod.isReady && !pod.ip.isEmpty && selector.allSatisfy { pod.labels[$0.key] == $0.value }
        }
    }
}
