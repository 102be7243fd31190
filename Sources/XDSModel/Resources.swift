/// The resources this emulator serves, as plain values: only the fields we use, named as in the
/// Envoy v3 API (`envoy.config.cluster.v3.Cluster`, `envoy.config.endpoint.v3.*`).

/// `google.protobuf.Duration`.
public struct ProtoDuration: Hashable, Sendable {
    package var seconds: Int64
    package var nanos: Int32
    public init(seconds: Int64, nanos: Int32 = 0) {
        self.seconds = seconds
        self.nanos = nanos
    }
}

/// `envoy.config.cluster.v3.Cluster`.
public struct Cluster: Hashable, Sendable {
    /// `Cluster.DiscoveryType` (field `type`).
    public enum DiscoveryType: Int32, Hashable, Sendable {
        case `static` = 0, strictDNS = 1, logicalDNS = 2, eds = 3, originalDestination = 4
    }
    /// `Cluster.LbPolicy`.
    public enum LbPolicy: Int32, Hashable, Sendable {
        case roundRobin = 0, leastRequest = 1, ringHash = 2, random = 3, maglev = 5, clusterProvided = 6
    }

    public var name: String
    package var type: DiscoveryType
    /// For EDS clusters: `eds_cluster_config.service_name` (empty: the cluster name); the config
    /// source is always ADS with resource API version V3.
    public var edsServiceName: String
    package var connectTimeout: ProtoDuration?
    package var lbPolicy: LbPolicy
    /// For STATIC clusters (the bootstrap's `xds-grpc`): the inline `load_assignment`.
    package var loadAssignment: ClusterLoadAssignment?
    /// `typed_extension_protocol_options` asking for HTTP/2 upstream (gRPC needs it).
    package var http2: Bool

    public init(
        name: String, type: DiscoveryType = .eds, edsServiceName: String = "",
        connectTimeout: ProtoDuration? = ProtoDuration(seconds: 10), lbPolicy: LbPolicy = .roundRobin,
        loadAssignment: ClusterLoadAssignment? = nil, http2: Bool = false
    ) {
        self.name = name
        self.type = type
        self.edsServiceName = edsServiceName
        self.connectTimeout = connectTimeout
        self.lbPolicy = lbPolicy
        self.loadAssignment = loadAssignment
        self.http2 = http2
    }
}

/// `envoy.config.endpoint.v3.ClusterLoadAssignment`.
public struct ClusterLoadAssignment: Hashable, Sendable {
    public var clusterName: String
    package var endpoints: [LocalityLbEndpoints]
    public init(clusterName: String, endpoints: [LocalityLbEndpoints] = []) {
        self.clusterName = clusterName
        self.endpoints = endpoints
    }
}

/// `envoy.config.endpoint.v3.LocalityLbEndpoints`.
public struct LocalityLbEndpoints: Hashable, Sendable {
    package var locality: Locality?
    package var lbEndpoints: [LbEndpoint]
    /// `load_balancing_weight` (a `UInt32Value`); nil when unset.
    package var loadBalancingWeight: UInt32?
    package var priority: UInt32
    public init(
        locality: Locality? = nil, lbEndpoints: [LbEndpoint], loadBalancingWeight: UInt32? = nil,
        priority: UInt32 = 0
    ) {
        self.locality = locality
        self.lbEndpoints = lbEndpoints
        self.loadBalancingWeight = loadBalancingWeight
        self.priority = priority
    }
}

/// `envoy.config.endpoint.v3.LbEndpoint` with its `Endpoint`.
public struct LbEndpoint: Hashable, Sendable {
    package var address: SocketAddress
    /// `Endpoint.hostname`: istioctl and Envoy's admin show it (`istiod-canary.istio-system.svc`).
    package var hostname: String
    package var healthStatus: HealthStatus
    /// `load_balancing_weight` (a `UInt32Value`); nil when unset.
    package var loadBalancingWeight: UInt32?
    public init(
        address: SocketAddress, hostname: String = "", healthStatus: HealthStatus = .unknown,
        loadBalancingWeight: UInt32? = nil
    ) {
        self.address = address
        self.hostname = hostname
        self.healthStatus = healthStatus
        self.loadBalancingWeight = loadBalancingWeight
    }
}

/// `envoy.config.core.v3.SocketAddress` (TCP) inside an `Address`.
public struct SocketAddress: Hashable, Sendable {
    package var address: String
    package var portValue: UInt32
    public init(address: String, portValue: UInt32) {
        self.address = address
        self.portValue = portValue
    }
}

/// `envoy.config.core.v3.HealthStatus`.
public enum HealthStatus: Int32, Hashable, Sendable {
    case unknown = 0, healthy = 1, unhealthy = 2, draining = 3, timeout = 4, degraded = 5
}
