import XDSModel
import XDSWire

/// Small worlds for server tests: Istio-named EDS clusters and their endpoints.
enum Fixtures {
    static func clusterName(_ service: String, port: Int = 9080) -> String {
        "outbound|\(port)||\(service).default.svc.cluster.local"
    }

    static func cluster(_ service: String) -> Cluster {
        Cluster(name: clusterName(service), type: .eds, connectTimeout: ProtoDuration(seconds: 10))
    }

    /// `ips` are advertised data (never dialed).
    static func endpoints(_ service: String, _ ips: [String]) -> ClusterLoadAssignment {
        ClusterLoadAssignment(
            clusterName: clusterName(service),
            endpoints: [LocalityLbEndpoints(lbEndpoints: ips.map {
                LbEndpoint(address: SocketAddress(address: $0, portValue: 9080), healthStatus: .healthy)
            })])
    }

    static let node = Node(id: "sidecar~10.0.0.7~details-v1-abc.default~default.svc.cluster.local", cluster: "details.default")

    static func names(_ response: DiscoveryResponse) throws -> [String] {
        try response.resources.map { try XDSResource(unpacking: $0).name }
    }
}
