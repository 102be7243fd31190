internal import CXDSProto
import XDSModel

// envoy.config.cluster.v3.Cluster: the CDS resource, and the bootstrap's static `xds-grpc` cluster.

extension Cluster {
    /// The `typed_extension_protocol_options` key (and the Any's message) that carries upstream
    /// HTTP protocol options; Envoy looks the options up by this name.
    static let httpProtocolOptionsName = "envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
    static let httpProtocolOptionsTypeURL = TypeURL.prefix + httpProtocolOptionsName

    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Cluster__Cluster> {
        arena.new(cluster__cluster__init) { c in
            c.name = arena.cString(name)
            // `type` sits in the `cluster_discovery_type` oneof upstream; a set oneof member is
            // encoded even when 0, so STATIC is explicit on the wire, as the official encoders do.
            c.cluster_discovery_type_case = CLUSTER__CLUSTER__CLUSTER_DISCOVERY_TYPE_TYPE
            c.type = Cluster__Cluster__DiscoveryType(rawValue: numericCast(type.rawValue))
            if type == .eds || !edsServiceName.isEmpty {
                // Istio's EDS clusters: `eds_config { ads {} resource_api_version: V3 }`.
                let source = ADSConfigSource.build(in: arena)
                c.eds_cluster_config = arena.new(cluster__cluster__eds_cluster_config__init) {
                    $0.eds_config = source
                    $0.service_name = arena.cString(edsServiceName)
                }
            }
            c.connect_timeout = connectTimeout?.build(in: arena)
            c.lb_policy = Cluster__Cluster__LbPolicy(rawValue: numericCast(lbPolicy.rawValue))
            c.load_assignment = loadAssignment?.build(in: arena)
            if http2 {
                let entry = arena.new(cluster__cluster__typed_extension_protocol_options_entry__init) {
                    $0.key = arena.cString(Self.httpProtocolOptionsName)
                    $0.value = Self.buildHTTP2Options(in: arena)
                }
                c.n_typed_extension_protocol_options = 1
                c.typed_extension_protocol_options = arena.pointers(CollectionOfOne(entry)) { $0 }
            }
        }
    }

    /// `HttpProtocolOptions { explicit_http_config { http2_protocol_options {} } }` in an Any: what
    /// Istio sets on clusters whose upstream speaks gRPC (xds-grpc included).
    private static func buildHTTP2Options(in arena: EncodeArena) -> UnsafeMutablePointer<Pb__Any> {
        AnyMessage(typeURL: httpProtocolOptionsTypeURL, value: http2OptionsBytes).build(in: arena)
    }

    /// The packed HttpProtocolOptions: a constant, so it is packed once (in its own arena).
    private static let http2OptionsBytes: [UInt8] = EncodeArena.pack { arena in
        let http2 = arena.new(core__http2_protocol_options__init)
        let explicit = arena.new(upstreamhttp__http_protocol_options__explicit_http_config__init) {
            $0.protocol_config_case =
                UPSTREAMHTTP__HTTP_PROTOCOL_OPTIONS__EXPLICIT_HTTP_CONFIG__PROTOCOL_CONFIG_HTTP2_PROTOCOL_OPTIONS
            $0.http2_protocol_options = http2
        }
        return arena.new(upstreamhttp__http_protocol_options__init) {
            $0.upstream_protocol_options_case =
                UPSTREAMHTTP__HTTP_PROTOCOL_OPTIONS__UPSTREAM_PROTOCOL_OPTIONS_EXPLICIT_HTTP_CONFIG
            $0.explicit_http_config = explicit
        }
    }

    init(unpacked p: UnsafePointer<Cluster__Cluster>) throws(WireError) {
        let c = p.pointee
        let rawType = c.cluster_discovery_type_case == CLUSTER__CLUSTER__CLUSTER_DISCOVERY_TYPE_TYPE
            ? Int32(truncatingIfNeeded: c.type.rawValue) : 0  // unset oneof: Envoy's default, STATIC
        guard let type = DiscoveryType(rawValue: rawType) else {
            throw WireError.unsupported("Cluster.type \(rawType) is not a known DiscoveryType")
        }
        let rawPolicy = Int32(truncatingIfNeeded: c.lb_policy.rawValue)
        guard let lbPolicy = LbPolicy(rawValue: rawPolicy) else {
            throw WireError.unsupported("Cluster.lb_policy \(rawPolicy) is not a modelled LbPolicy")
        }
        self.init(
            name: try Unpacked.string(c.name, "Cluster.name"),
            type: type,
            edsServiceName: try Unpacked.string(
                c.eds_cluster_config?.pointee.service_name, "Cluster.eds_cluster_config.service_name"),
            connectTimeout: c.connect_timeout.map { ProtoDuration(unpacked: $0) },
            lbPolicy: lbPolicy,
            loadAssignment: try c.load_assignment.map { (a) throws(WireError) in
                try ClusterLoadAssignment(unpacked: a, field: "Cluster.load_assignment")
            },
            http2: try Self.requestsHTTP2(c))
    }

    /// Whether `typed_extension_protocol_options` asks for HTTP/2 explicitly.
    private static func requestsHTTP2(_ c: Cluster__Cluster) throws(WireError) -> Bool {
        let mapField = "Cluster.typed_extension_protocol_options"
        let entries = try Unpacked.elements(c.n_typed_extension_protocol_options, c.typed_extension_protocol_options, mapField) {
            (e) throws(WireError) -> (String, AnyMessage?) in
            (try Unpacked.string(e.pointee.key, "\(mapField).key"),
             try e.pointee.value.map { (v) throws(WireError) in try AnyMessage(unpacked: v, field: mapField) })
        }
        // Protobuf maps: the last entry for a key wins.
        guard let any = entries.last(where: { $0.0 == httpProtocolOptionsName })?.1 else { return false }
        guard any.typeURL == httpProtocolOptionsTypeURL else {
            throw WireError(.unexpectedType, "\(mapField)[\(httpProtocolOptionsName)] holds \(any.typeURL)")
        }
        return try Unpacked.read(
            any.value, upstreamhttp__http_protocol_options__descriptor,
            unpack: { upstreamhttp__http_protocol_options__unpack(nil, $0, $1) }
        ) { o in
            guard
                o.pointee.upstream_protocol_options_case
                    == UPSTREAMHTTP__HTTP_PROTOCOL_OPTIONS__UPSTREAM_PROTOCOL_OPTIONS_EXPLICIT_HTTP_CONFIG,
                let explicit = o.pointee.explicit_http_config
            else { return false }
            return explicit.pointee.protocol_config_case
                == UPSTREAMHTTP__HTTP_PROTOCOL_OPTIONS__EXPLICIT_HTTP_CONFIG__PROTOCOL_CONFIG_HTTP2_PROTOCOL_OPTIONS
        }
    }

    public init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(wireBytes, cluster__cluster__descriptor, unpack: { cluster__cluster__unpack(nil, $0, $1) }) {
            (c) throws(WireError) in try Cluster(unpacked: c)
        }
    }

    public func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}
