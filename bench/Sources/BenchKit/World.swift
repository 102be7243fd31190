import XDSModel

/// The configuration a benchmark pushes: clusters and their endpoint assignments, named the way
/// istiod names outbound clusters (`outbound|PORT||HOST`), with a generation counter so each
/// scenario step changes bytes on the wire.
public struct BenchWorld: Sendable, Equatable {
    public struct Service: Sendable, Equatable {
        public let host: String
        public let port: UInt32
        public let endpoints: Int
    }

    public let name: String
    public let services: [Service]
    /// Bumped by `changeEveryCluster`: every cluster's bytes change.
    public private(set) var clusterGeneration = 0
    /// Bumped by `changeOneEndpoint`: one endpoint of the first service changes.
    public private(set) var endpointGeneration = 0

    public init(name: String, services: [Service]) {
        self.name = name
        self.services = services
    }

    /// Bookinfo: productpage, details, ratings and three versions of reviews behind one service,
    /// plus istiod's own cluster.
    public static let bookinfo = BenchWorld(name: "bookinfo", services: [
        Service(host: "productpage.default.svc.cluster.local", port: 9080, endpoints: 1),
        Service(host: "details.default.svc.cluster.local", port: 9080, endpoints: 1),
        Service(host: "ratings.default.svc.cluster.local", port: 9080, endpoints: 1),
        Service(host: "reviews.default.svc.cluster.local", port: 9080, endpoints: 3),
        Service(host: "istiod.istio-system.svc.cluster.local", port: 15012, endpoints: 1),
    ])

    /// `services` services with `endpoints` endpoints each (the large world: 1,000 × 10).
    public static func large(services: Int = 1000, endpoints: Int = 10) -> BenchWorld {
        BenchWorld(name: "large", services: (0..<services).map {
            Service(host: "svc-\($0).ns-\($0 % 50).svc.cluster.local", port: 8080, endpoints: endpoints)
        })
    }

    /// Looks a world up by its command-line name.
    public static func named(_ name: String) -> BenchWorld? {
        switch name {
        case "bookinfo": .bookinfo
        case "large": .large()
        default: nil
        }
    }

    public func clusterName(_ service: Service) -> String { "outbound|\(service.port)||\(service.host)" }

    public var clusters: [Cluster] {
        services.map { service in
            // The connect timeout carries the generation: a full push changes every cluster.
            Cluster(
                name: clusterName(service), type: .eds,
                connectTimeout: ProtoDuration(seconds: 10, nanos: Int32(clusterGeneration % 1000) * 1_000_000))
        }
    }

    public var endpoints: [ClusterLoadAssignment] {
        services.enumerated().map { index, service in
            let lbEndpoints = (0..<service.endpoints).map { e in
                // Only the first service's first endpoint moves with the endpoint generation.
                let moved = index == 0 && e == 0 ? endpointGeneration : 0
                return LbEndpoint(
                    address: SocketAddress(address: Self.podIP(service: index, endpoint: e), portValue: service.port),
                    hostname: "", healthStatus: .healthy, loadBalancingWeight: UInt32(1 + moved))
            }
            return ClusterLoadAssignment(
                clusterName: clusterName(service),
                endpoints: [LocalityLbEndpoints(
                    locality: Locality(region: "us-east1", zone: "us-east1-b"), lbEndpoints: lbEndpoints)])
        }
    }

    public var resources: (clusters: [XDSResource], endpoints: [XDSResource]) {
        (clusters.map(XDSResource.cluster), endpoints.map(XDSResource.endpoint))
    }

    /// The full-push scenario's change: every cluster's bytes differ from the previous step.
    public mutating func changeEveryCluster() { clusterGeneration += 1 }

    /// The incremental scenario's change: one endpoint of one service.
    public mutating func changeOneEndpoint() { endpointGeneration += 1 }

    static func podIP(service: Int, endpoint: Int) -> String {
        let n = service * 64 + endpoint
        return "10.\(16 + (n >> 16) & 0x3f).\((n >> 8) & 0xff).\(n & 0xff)"
    }
}
