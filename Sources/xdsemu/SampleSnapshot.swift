import XDSModel

/// What `xdsemu run` serves: bookinfo's four services as Istio names them, each an EDS cluster with
/// two endpoints. The addresses are pod IPs from the default pod range: advertised, never dialed.
enum SampleSnapshot {
    static let services = ["details", "productpage", "ratings", "reviews"]

    static func clusterName(_ service: String) -> String {
        "outbound|9080||\(service).default.svc.cluster.local"
    }

    static var clusters: [Cluster] {
        services.map { Cluster(name: clusterName($0), type: .eds, connectTimeout: ProtoDuration(seconds: 10)) }
    }

    static var endpoints: [ClusterLoadAssignment] {
        services.enumerated().map { index, service in
            ClusterLoadAssignment(
                clusterName: clusterName(service),
                endpoints: [LocalityLbEndpoints(lbEndpoints: (1...2).map { replica in
                    LbEndpoint(
                        address: SocketAddress(address: "10.244.0.\(index * 2 + replica + 10)", portValue: 9080),
                        healthStatus: .healthy)
                })])
        }
    }
}
