import TestKit
import XDSModel
import XDSWire

/// Small worlds for server tests: Istio-named EDS clusters and their endpoints.
enum Fixtures {
    static func clusterName(_ service: String, port: Int = 9080) -> String {
        MeshFixtures.outbound(service, port: port)
    }

    static func cluster(_ service: String) -> Cluster {
        MeshFixtures.edsCluster(clusterName(service))
    }

    /// `ips` are advertised data (never dialed).
    static func endpoints(_ service: String, _ ips: [String]) -> ClusterLoadAssignment {
        MeshFixtures.assignment(clusterName(service), ips: ips)
    }

    static let node = Node(id: "sidecar~10.0.0.7~details-v1-abc.default~default.svc.cluster.local", cluster: "details.default")

    static func names(_ response: DiscoveryResponse) throws -> [String] {
        try response.resources.map { try XDSResource(unpacking: $0).name }
    }
}
