import Kubernetes
import XDSModel
import PushCore

/// What istiod serves per proxy rather than to every proxy alike: clusters, listeners and routes
/// of each proxy scope present in the world (`ProxyScope`), as `ResourceViews` for the push core.
/// Each view's resources are generated once per distinct scope, not per proxy.
///
/// Node to view: the proxy id in the node id (`sidecar~IP~POD.NS~NS.svc.cluster.local`) names the
/// pod; a proxy istiod does not know (yet) gets the bare scope of its kind (no namespace, no
/// ports, no gateway servers: the mesh's outbound configuration only), and moves to its own view
/// once its pod shows up. Listeners have a second variant per scope for
/// real Envoys (node metadata `XDSEMU_REAL_ENVOY`): see `LDS`.
struct ScopedResources: Equatable, Sendable {
    /// Scopes by proxy id (`pod.namespace`).
    var scopes: [String: ProxyScope]
    var clusters: [String: [XDSResource]]
    var listeners: [String: [XDSResource]]
    var routes: [String: [XDSResource]]

    /// The node metadata key a real Envoy's bootstrap carries (`SidecarBootstrap.envoyJSON`).
    static let realEnvoyKey = "XDSEMU_REAL_ENVOY"

    init(world: World, outboundClusters: [XDSModel.Cluster]) {
        let services = world.services()
        scopes = ProxyScope.all(in: world)
        clusters = [:]
        listeners = [:]
        routes = [:]
        let bare = [ProxyScope(kind: .sidecar, namespace: ""), ProxyScope(kind: .router, namespace: "")]
        for scope in Set(scopes.values).union(bare) {
            clusters[scope.key] = CDS.clusters(scope, outbound: outboundClusters).map(XDSResource.cluster)
            let istios = LDS.listeners(scope, services: services)
            listeners[Self.listenerView(scope.key, real: false)] = istios.map(XDSResource.listener)
            listeners[Self.listenerView(scope.key, real: true)] = istios.map { .listener(RealEnvoyListeners.served($0)) }
            if routes[scope.routeKey] == nil {
                routes[scope.routeKey] = RDS.routes(scope, services: services).map(XDSResource.route)
            }
        }
    }

    static func listenerView(_ key: String, real: Bool) -> String { real ? key + "~real" : key }

    /// The scope of the proxy that sent `node`.
    func scope(of node: Node?) -> ProxyScope {
        let parts = (node?.id ?? "").split(separator: "~", omittingEmptySubsequences: false).map(String.init)
        if parts.count > 2, let known = scopes[parts[2]] { return known }
        return ProxyScope(kind: parts.first == "router" ? .router : .sidecar, namespace: "")
    }

    var clusterViews: ResourceViews {
        ResourceViews(resources: clusters) { [self] in scope(of: $0).key }
    }

    var listenerViews: ResourceViews {
        ResourceViews(resources: listeners) { [self] node in
            let real = node?.metadataString(Self.realEnvoyKey) == "true"
            return Self.listenerView(scope(of: node).key, real: real)
        }
    }

    var routeViews: ResourceViews {
        ResourceViews(resources: routes) { [self] in scope(of: $0).routeKey }
    }
}
