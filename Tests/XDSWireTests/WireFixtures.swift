import Testing
import XDSModel
import XDSWire

/// The fixtures shared with tests/wire/official_compat.py: same names, same values. The Python
/// script builds each with the official classes; a case here with no twin there (or the reverse)
/// fails the compatibility test.
enum WireFixtures {
    static let metadata: [String: MetadataValue] = [
        "ISTIO_VERSION": .string("1.24.0"),
        "NAMESPACE": .string("default"),
        "LABELS": .structure(["app": .string("reviews"), "version": .string("v1")]),
        "CONCURRENCY": .number(2.5),
        "ENABLED": .bool(true),
        "LIST": .list([.string("a"), .number(1), .bool(false)]),
        "NOTHING": .null,
    ]

    static let node = Node(
        id: "sidecar~10.0.0.1~reviews-v1-abc.default~default.svc.cluster.local",
        cluster: "reviews.default",
        metadata: metadata,
        locality: Locality(region: "us-east1", zone: "us-east1-b", subZone: "rack-7"),
        userAgentName: "envoy")

    static let status = RPCStatus(code: 13, message: "internal: ünïcode ✓")

    static let claFull = ClusterLoadAssignment(
        clusterName: "outbound|9080||reviews.default.svc.cluster.local",
        endpoints: [
            LocalityLbEndpoints(
                locality: Locality(region: "us-east1", zone: "us-east1-b"),
                lbEndpoints: [
                    LbEndpoint(
                        address: SocketAddress(address: "10.0.0.1", portValue: 9080),
                        hostname: "reviews-v1-abc.default", healthStatus: .healthy, loadBalancingWeight: 5),
                    LbEndpoint(address: SocketAddress(address: "10.0.0.2", portValue: 9080), healthStatus: .draining),
                ],
                loadBalancingWeight: 10, priority: 0),
            LocalityLbEndpoints(
                lbEndpoints: [LbEndpoint(address: SocketAddress(address: "10.0.1.1", portValue: 0))], priority: 1),
        ])

    static let claEmpty = ClusterLoadAssignment(clusterName: "outbound|80||empty.default.svc.cluster.local")

    static let clusterEDS = Cluster(
        name: "outbound|9080||reviews.default.svc.cluster.local", type: .eds,
        edsServiceName: "outbound|9080||reviews.default.svc.cluster.local",
        connectTimeout: ProtoDuration(seconds: 10), lbPolicy: .leastRequest)

    static let clusterStaticXDSGRPC = Cluster(
        name: "xds-grpc", type: .static,
        connectTimeout: ProtoDuration(seconds: 1, nanos: 500_000_000), lbPolicy: .roundRobin,
        loadAssignment: ClusterLoadAssignment(
            clusterName: "xds-grpc",
            endpoints: [
                LocalityLbEndpoints(lbEndpoints: [
                    LbEndpoint(
                        address: SocketAddress(address: "127.0.0.1", portValue: 15012),
                        hostname: "istiod-canary.istio-system.svc")
                ])
            ]),
        http2: true)

    static let discoveryRequestFull = DiscoveryRequest(
        versionInfo: ResourceVersion("2026-11-28T12:00:00Z/7"), node: node,
        resourceNames: ["outbound|9080||reviews.default.svc.cluster.local", "xds-grpc"],
        typeURL: .endpoint, responseNonce: Nonce("nonce-6"), errorDetail: status)

    static let discoveryResponseCDS = DiscoveryResponse(
        versionInfo: ResourceVersion("2026-11-28T12:00:00Z/7"),
        resources: [AnyMessage(packing: clusterEDS), AnyMessage(packing: clusterStaticXDSGRPC)],
        typeURL: .cluster, nonce: Nonce("nonce-7"),
        controlPlaneIdentifier: #"{"Component":"istiod","ID":"istiod-canary-5d9f","Info":{"version":"1.24.0"}}"#)

    static let discoveryResponseEDS = DiscoveryResponse(
        versionInfo: ResourceVersion("v2"), resources: [AnyMessage(packing: claFull), AnyMessage(packing: claEmpty)],
        typeURL: .endpoint, nonce: Nonce("n2"))

    static let deltaRequest = DeltaDiscoveryRequest(
        node: Node(id: "sidecar~10.0.0.2~ratings-v1-xyz.default~default.svc.cluster.local"),
        typeURL: .cluster, resourceNamesSubscribe: ["a", "b"], resourceNamesUnsubscribe: ["c"],
        initialResourceVersions: ["b": "2", "a": "1"], responseNonce: Nonce("d-1"),
        errorDetail: RPCStatus(code: 3, message: "rejected"))

    static let deltaResponse = DeltaDiscoveryResponse(
        systemVersionInfo: "sys-9",
        resources: [
            DeltaResource(
                name: "outbound|9080||reviews.default.svc.cluster.local", version: ResourceVersion("v3"),
                resource: AnyMessage(packing: claFull)),
            DeltaResource(name: "no-payload", version: ResourceVersion("v4"), resource: nil),
        ],
        typeURL: .endpoint, removedResources: ["gone-1", "gone-2"], nonce: Nonce("d-2"))

    static let valueList = MetadataValue.list([
        .string("x"), .number(2), .bool(true), .structure(["k": .string("v")]), .null,
    ])

    static let inlineRoute = RouteConfiguration(
        name: "inbound|9080||",
        virtualHosts: [VirtualHost(
            name: "inbound|http|9080", domains: ["*"],
            routes: [Route(
                name: "default", match: .prefix("/"), cluster: "inbound|9080||", timeout: ProtoDuration(seconds: 0),
                operation: "details.default.svc.cluster.local:9080/*")])],
        validateClusters: false)

    static let listenerFull = Listener(
        name: "virtualInbound", address: SocketAddress(address: "0.0.0.0", portValue: 15006),
        filterChains: [
            FilterChain(
                name: "0.0.0.0_9080",
                match: FilterChainMatch(
                    destinationPort: 9080, prefixRanges: [CidrRange(addressPrefix: "0.0.0.0", prefixLen: 0)],
                    transportProtocol: "raw_buffer", applicationProtocols: ["http/1.1", "h2c"]),
                filters: [.httpConnectionManager(HttpConnectionManager(statPrefix: "inbound_0.0.0.0_9080", routeSpecifier: .inline(inlineRoute)))]),
            FilterChain(
                match: FilterChainMatch(transportProtocol: "raw_buffer"),
                filters: [.httpConnectionManager(HttpConnectionManager(statPrefix: "outbound_0.0.0.0_9080", routeSpecifier: .rds("9080")))]),
        ],
        defaultFilterChain: FilterChain(
            name: "PassthroughFilterChain",
            filters: [.tcpProxy(TcpProxy(statPrefix: "PassthroughCluster", cluster: "PassthroughCluster"))]),
        listenerFilters: [
            TypedExtension(
                name: "envoy.filters.listener.original_dst",
                typeURL: "type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst"),
        ],
        useOriginalDst: true, bindToPort: false, trafficDirection: .inbound)

    static let routeConfiguration = RouteConfiguration(
        name: "9080",
        virtualHosts: [
            VirtualHost(
                name: "details.default.svc.cluster.local:9080", domains: ["details.default.svc.cluster.local", "details"],
                routes: [Route(name: "exact", match: .path("/health"), cluster: "outbound|9080||details.default.svc.cluster.local")]),
            VirtualHost(name: "blackhole:8080", domains: ["*"], routes: []),
        ])

    /// Every case, by the name it has in official_compat.py. `encodes == false`: the official bytes
    /// carry upstream fields XDSWire does not model, so only official → ours applies, and the value
    /// is what ours must read (the unknown fields ignored).
    static let all: [WireCase] = [
        WireCase("node", node),
        WireCase("discovery_request_full", discoveryRequestFull),
        WireCase("discovery_request_minimal", DiscoveryRequest(typeURL: .cluster)),
        WireCase("discovery_response_cds", discoveryResponseCDS),
        WireCase("discovery_response_eds", discoveryResponseEDS),
        WireCase("delta_request", deltaRequest),
        WireCase("delta_response", deltaResponse),
        WireCase("cluster_eds", clusterEDS),
        WireCase("cluster_static_xds_grpc", clusterStaticXDSGRPC),
        WireCase("cla_full", claFull),
        WireCase("cla_empty", claEmpty),
        WireCase("any_cluster", AnyMessage(packing: clusterEDS)),
        WireCase("duration", ProtoDuration(seconds: 5, nanos: 250_000_000)),
        WireCase("duration_negative", ProtoDuration(seconds: -3, nanos: -1)),
        WireCase("uint32_value", ProtoUInt32Value(4_294_967_295)),
        WireCase("struct", ProtoStruct(metadata)),
        WireCase("value_list", valueList),
        WireCase("status", status),
        WireCase("listener_full", listenerFull),
        WireCase("route_configuration", routeConfiguration),
        WireCase("cluster_with_upstream_fields", clusterEDS, encodes: false),
        WireCase("discovery_request_with_upstream_fields", discoveryRequestFull, encodes: false),
    ]
}

/// One named fixture, type-erased so cases of different message types share one table.
struct WireCase: Sendable, CustomTestStringConvertible {
    let name: String
    /// Whether XDSWire encodes this case for the official side to check.
    let encodes: Bool
    let encode: @Sendable () -> [UInt8]
    /// Decodes with XDSWire and compares with the fixture: nil when equal, else what differed.
    let decodeAndCompare: @Sendable ([UInt8]) -> String?

    init<M: WireMessage & Equatable & Sendable>(_ name: String, _ value: M, encodes: Bool = true) {
        self.name = name
        self.encodes = encodes
        encode = { value.wireBytes() }
        decodeAndCompare = { bytes in
            do {
                let decoded = try M(wireBytes: bytes)
                return decoded == value ? nil : "decoded \(decoded)\nexpected \(value)"
            } catch {
                return "\(error)"
            }
        }
    }

    var testDescription: String { name }
}
