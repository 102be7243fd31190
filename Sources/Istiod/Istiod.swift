import JSON
import Kubernetes
import KubeRuntime
import Istio
import Synchronization
import XDSModel
import XDSServer
import XDSTransport

/// One live control-plane revision: a real ADS server on its own loopback port, serving the
/// clusters and endpoints istiod would compute from the world. `apply(_:)` recomputes them and
/// pushes only when they changed (each push goes through the server's PushCore, which sends each
/// stream only what it watches).
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

    /// Recomputes clusters and endpoints from `world`; pushes if anything changed. Returns whether it pushed.
    @discardableResult
    package func apply(_ world: World) -> Bool {
        let generated = cache.withLock { c in
            c.update(world)
            return Generated(clusters: c.clusters, endpoints: c.endpoints)
        }
        // Unchanged lists are the cache's same storage: comparing them costs nothing.
        let previous = lastPushed.withLock { last in
            defer { last = generated }
            return last
        }
        guard previous != generated else { return false }
        // Only the types that changed are replaced, so PushCore compares nothing else.
        if previous?.clusters != generated.clusters { server.update(.cluster, generated.clusters.map(XDSResource.cluster)) }
        if previous?.endpoints != generated.endpoints { server.update(.endpoint, generated.endpoints.map(XDSResource.endpoint)) }
        return true
    }

    package func stop() async { await server.stop() }
}
