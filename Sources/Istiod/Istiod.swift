import JSON
import Kubernetes
import KubeRuntime
import Istio
import PushCore
import Synchronization
import XDSModel
import XDSServer
import XDSTransport

/// One live control-plane revision: a real ADS server on its own loopback port, serving the
/// clusters, endpoints, listeners and routes istiod would compute from the world. `apply(_:)`
/// recomputes them and pushes only what changed (each push goes through the server's PushCore,
/// which sends each stream only what it watches).
///
/// Thread-safe. `stop()` must be called; it ends every stream (proxies see the server go away).
package final class Istiod: Sendable {
    package let revision: IstioRevision
    /// The istiod pod this server stands for (its `control_plane.identifier`).
    package let podName: String
    package let server: XDSServer
    private let lastPushed = Mutex<Generated?>(nil)
    private let cache = Mutex(GenerationCache())

    struct Generated: Equatable {
        var clusters: [XDSModel.Cluster]
        var endpoints: [ClusterLoadAssignment]
        /// Clusters, listeners and routes per proxy scope (`ScopedResources`).
        var scoped: ScopedResources
    }

    /// Binds 127.0.0.1:`port` (0: a free port) and serves `world`'s clusters and endpoints.
    package init(revision: IstioRevision, podName: String, world: World, port: Int = 0) throws(TransportError) {
        self.revision = revision
        self.podName = podName
        self.server = try XDSServer(
            configuration: .init(host: "127.0.0.1", port: port, controlPlaneIdentifier: podName))
        apply(world)
    }

    /// The loopback port proxies of this revision connect to.
    package var port: Int { server.port }
    /// `istiod-canary.istio-system.svc`.
    package var host: String { revision.host }

    /// Recomputes clusters, endpoints, listeners and routes from `world`; pushes the types that
    /// changed. Returns whether it pushed.
    @discardableResult
    package func apply(_ world: World) -> Bool {
        // Outbound clusters and endpoints per Service come from the cache, which regenerates only
        // the Services whose object or slices changed.
        let (services, serviceEndpoints) = cache.withLock { c in
            c.update(world)
            return (c.clusters, c.endpoints)
        }
        let subsets = DestinationRuleSubsets(world)
        let subsetClusters = subsets.clusters(world, outbound: services)
        let clusters = subsetClusters.isEmpty ? services : (services + subsetClusters).sorted { $0.name < $1.name }
        let subsetEndpoints = subsets.assignments(world, outbound: serviceEndpoints)
        let endpoints = subsetEndpoints.isEmpty
            ? serviceEndpoints : (serviceEndpoints + subsetEndpoints).sorted { $0.clusterName < $1.clusterName }
        let generated = Generated(
            clusters: clusters, endpoints: endpoints, scoped: ScopedResources(world: world, outboundClusters: clusters))
        let previous = lastPushed.withLock { last in
            defer { last = generated }
            return last
        }
        guard previous != generated else { return false }
        // Only the types that changed are replaced, so PushCore compares nothing else. A changed
        // scope map (a pod came or went) re-sorts streams into views, so every viewed type goes again.
        let scopesMoved = previous?.scoped.scopes != generated.scoped.scopes
        if scopesMoved || previous?.scoped.clusters != generated.scoped.clusters {
            server.update(.cluster, views: generated.scoped.clusterViews)
        }
        if previous?.endpoints != generated.endpoints { server.update(.endpoint, generated.endpoints.map(XDSResource.endpoint)) }
        if scopesMoved || previous?.scoped.listeners != generated.scoped.listeners {
            server.update(.listener, views: generated.scoped.listenerViews)
        }
        if scopesMoved || previous?.scoped.routes != generated.scoped.routes {
            server.update(.route, views: generated.scoped.routeViews)
        }
        return true
    }

    package func stop() async { await server.stop() }
}
