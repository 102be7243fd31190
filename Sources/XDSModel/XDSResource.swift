/// A resource the control plane serves, by type. The push core diffs these by value and encodes
/// each changed one exactly once per version.
public enum XDSResource: Hashable, Sendable {
    case cluster(Cluster)
    case endpoint(ClusterLoadAssignment)
    case listener(Listener)
    case route(RouteConfiguration)

    /// The xDS resource name: the cluster's name, or the assignment's `cluster_name`.
    package var name: String {
        switch self {
        case .cluster(let c): c.name
        case .endpoint(let e): e.clusterName
        case .listener(let l): l.name
        case .route(let r): r.name
        }
    }

    package var typeURL: TypeURL {
        switch self {
        case .cluster: .cluster
        case .endpoint: .endpoint
        case .listener: .listener
        case .route: .route
        }
    }
}
