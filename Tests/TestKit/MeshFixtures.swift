import XDSModel

/// Istio-shaped xDS resources the sidecar and server tests build their small worlds from: the
/// outbound EDS cluster istiod generates for a service port, and its endpoints.
package enum MeshFixtures {
    /// Istio's outbound cluster name, `outbound|<port>||<service>.default.svc.cluster.local`.
    package static func outbound(_ service: String, port: Int = 9080) -> String {
        "outbound|\(port)||\(service).default.svc.cluster.local"
    }

    package static func edsCluster(_ name: String) -> Cluster {
        Cluster(name: name, type: .eds, connectTimeout: ProtoDuration(seconds: 10))
    }

    /// One locality of healthy endpoints; `ips` are advertised data (never dialed).
    package static func assignment(_ name: String, ips: [String], port: UInt32 = 9080) -> ClusterLoadAssignment {
        ClusterLoadAssignment(
            clusterName: name,
            endpoints: [
                LocalityLbEndpoints(lbEndpoints: ips.map {
                    LbEndpoint(address: SocketAddress(address: $0, portValue: port), healthStatus: .healthy)
                })
            ])
    }
}
