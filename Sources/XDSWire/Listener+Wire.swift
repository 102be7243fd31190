internal import CXDSProto
import XDSModel

// envoy.config.listener.v3.Listener and its parts: the LDS resource. Network filters travel as
// `typed_config` Anys (an HttpConnectionManager or a TcpProxy, each packed on its own), listener
// filters with an empty typed config, as istiod writes them.

extension Listener {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Listener__Listener> {
        arena.new(listener__listener__init) { l in
            l.name = arena.cString(name)
            l.address = address.build(in: arena)
            l.n_filter_chains = filterChains.count
            l.filter_chains = arena.pointers(filterChains) { $0.build(in: arena) }
            l.use_original_dst = useOriginalDst.map { ProtoBoolValue.build($0, in: arena) }
            l.n_listener_filters = listenerFilters.count
            l.listener_filters = arena.pointers(listenerFilters) { f in
                arena.new(listener__listener_filter__init) {
                    $0.name = arena.cString(f.name)
                    $0.config_type_case = LISTENER__LISTENER_FILTER__CONFIG_TYPE_TYPED_CONFIG
                    $0.typed_config = AnyMessage(typeURL: f.typeURL, value: []).build(in: arena)
                }
            }
            l.traffic_direction = Core__TrafficDirection(rawValue: numericCast(trafficDirection.rawValue))
            l.default_filter_chain = defaultFilterChain?.build(in: arena)
            l.bind_to_port = bindToPort.map { ProtoBoolValue.build($0, in: arena) }
        }
    }

    init(unpacked p: UnsafePointer<Listener__Listener>) throws(WireError) {
        let l = p.pointee
        guard let address = l.address else { throw WireError.malformed("Listener.address is missing") }
        let rawDirection = Int32(truncatingIfNeeded: l.traffic_direction.rawValue)
        guard let direction = TrafficDirection(rawValue: rawDirection) else {
            throw WireError.unsupported("Listener.traffic_direction \(rawDirection) is not a known TrafficDirection")
        }
        self.init(
            name: try Unpacked.string(l.name, "Listener.name"),
            address: try SocketAddress(unpacked: address, field: "Listener.address"),
            filterChains: try Unpacked.elements(l.n_filter_chains, l.filter_chains, "Listener.filter_chains") {
                (c) throws(WireError) in try FilterChain(unpacked: c, field: "Listener.filter_chains")
            },
            defaultFilterChain: try l.default_filter_chain.map { (c) throws(WireError) in
                try FilterChain(unpacked: c, field: "Listener.default_filter_chain")
            },
            listenerFilters: try Unpacked.elements(l.n_listener_filters, l.listener_filters, "Listener.listener_filters") {
                (f) throws(WireError) in
                let any = f.pointee.config_type_case == LISTENER__LISTENER_FILTER__CONFIG_TYPE_TYPED_CONFIG
                    ? f.pointee.typed_config : nil
                return TypedExtension(
                    name: try Unpacked.string(f.pointee.name, "Listener.listener_filters.name"),
                    typeURL: try Unpacked.string(any?.pointee.type_url, "Listener.listener_filters.typed_config"))
            },
            useOriginalDst: l.use_original_dst.map { $0.pointee.value != 0 },
            bindToPort: l.bind_to_port.map { $0.pointee.value != 0 },
            trafficDirection: direction)
    }

    public init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(wireBytes, listener__listener__descriptor, unpack: { listener__listener__unpack(nil, $0, $1) }) {
            (l) throws(WireError) in try Listener(unpacked: l)
        }
    }

    public func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}

extension FilterChain {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Listener__FilterChain> {
        arena.new(listener__filter_chain__init) { c in
            c.filter_chain_match = match?.build(in: arena)
            c.n_filters = filters.count
            c.filters = arena.pointers(filters) { filter in
                arena.new(listener__filter__init) {
                    $0.name = arena.cString(filter.name)
                    $0.config_type_case = LISTENER__FILTER__CONFIG_TYPE_TYPED_CONFIG
                    $0.typed_config = filter.packed.build(in: arena)
                }
            }
            c.name = arena.cString(name)
        }
    }

    init(unpacked p: UnsafePointer<Listener__FilterChain>, field: @autoclosure () -> String) throws(WireError) {
        let c = p.pointee
        self.init(
            name: try Unpacked.string(c.name, "\(field()).name"),
            match: try c.filter_chain_match.map { (m) throws(WireError) in
                try FilterChainMatch(unpacked: m, field: "\(field()).filter_chain_match")
            },
            filters: try Unpacked.elements(c.n_filters, c.filters, "\(field()).filters") { (f) throws(WireError) in
                guard f.pointee.config_type_case == LISTENER__FILTER__CONFIG_TYPE_TYPED_CONFIG, let any = f.pointee.typed_config else {
                    throw WireError.unsupported("\(field()).filters has a filter without typed_config")
                }
                return try NetworkFilter(unpacking: try AnyMessage(unpacked: any, field: "\(field()).filters.typed_config"))
            })
    }
}

extension FilterChainMatch {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Listener__FilterChainMatch> {
        arena.new(listener__filter_chain_match__init) { m in
            m.n_prefix_ranges = prefixRanges.count
            m.prefix_ranges = arena.pointers(prefixRanges) { r in
                arena.new(core__cidr_range__init) {
                    $0.address_prefix = arena.cString(r.addressPrefix)
                    $0.prefix_len = r.prefixLen.map { ProtoUInt32Value.build($0, in: arena) }
                }
            }
            m.destination_port = destinationPort.map { ProtoUInt32Value.build($0, in: arena) }
            m.transport_protocol = arena.cString(transportProtocol)
            m.n_application_protocols = applicationProtocols.count
            m.application_protocols = arena.strings(applicationProtocols)
        }
    }

    init(unpacked p: UnsafePointer<Listener__FilterChainMatch>, field: @autoclosure () -> String) throws(WireError) {
        let m = p.pointee
        self.init(
            destinationPort: m.destination_port?.pointee.value,
            prefixRanges: try Unpacked.elements(m.n_prefix_ranges, m.prefix_ranges, "\(field()).prefix_ranges") {
                (r) throws(WireError) in
                CidrRange(
                    addressPrefix: try Unpacked.string(r.pointee.address_prefix, "\(field()).prefix_ranges.address_prefix"),
                    prefixLen: r.pointee.prefix_len?.pointee.value)
            },
            transportProtocol: try Unpacked.string(m.transport_protocol, "\(field()).transport_protocol"),
            applicationProtocols: try Unpacked.strings(
                m.n_application_protocols, m.application_protocols, "\(field()).application_protocols"))
    }
}

extension NetworkFilter {
    static let httpConnectionManagerTypeURL =
        TypeURL.prefix + "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"
    static let tcpProxyTypeURL = TypeURL.prefix + "envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy"

    /// The filter's `typed_config`, packed on its own.
    var packed: AnyMessage {
        switch self {
        case .httpConnectionManager(let h): AnyMessage(typeURL: Self.httpConnectionManagerTypeURL, value: h.wireBytes())
        case .tcpProxy(let t): AnyMessage(typeURL: Self.tcpProxyTypeURL, value: t.wireBytes())
        }
    }

    init(unpacking any: AnyMessage) throws(WireError) {
        switch any.typeURL {
        case Self.httpConnectionManagerTypeURL: self = .httpConnectionManager(try HttpConnectionManager(wireBytes: any.value))
        case Self.tcpProxyTypeURL: self = .tcpProxy(try TcpProxy(wireBytes: any.value))
        default: throw WireError(.unexpectedType, "network filter typed_config holds \(any.typeURL)")
        }
    }
}

extension HttpConnectionManager {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Hcm__HttpConnectionManager> {
        arena.new(hcm__http_connection_manager__init) { h in
            h.stat_prefix = arena.cString(statPrefix)
            switch routeSpecifier {
            case .rds(let name):
                let source = ADSConfigSource.build(in: arena)
                h.route_specifier_case = HCM__HTTP_CONNECTION_MANAGER__ROUTE_SPECIFIER_RDS
                h.rds = arena.new(hcm__rds__init) {
                    $0.config_source = source
                    $0.route_config_name = arena.cString(name)
                }
            case .inline(let config):
                h.route_specifier_case = HCM__HTTP_CONNECTION_MANAGER__ROUTE_SPECIFIER_ROUTE_CONFIG
                h.route_config = config.build(in: arena)
            }
            h.n_http_filters = httpFilters.count
            h.http_filters = arena.pointers(httpFilters) { f in
                arena.new(hcm__http_filter__init) {
                    $0.name = arena.cString(f.name)
                    $0.config_type_case = HCM__HTTP_FILTER__CONFIG_TYPE_TYPED_CONFIG
                    $0.typed_config = AnyMessage(typeURL: f.typeURL, value: []).build(in: arena)
                }
            }
        }
    }

    init(unpacked p: UnsafePointer<Hcm__HttpConnectionManager>) throws(WireError) {
        let h = p.pointee
        let specifier: RouteSpecifier
        switch h.route_specifier_case {
        case HCM__HTTP_CONNECTION_MANAGER__ROUTE_SPECIFIER_RDS:
            specifier = .rds(try Unpacked.string(h.rds?.pointee.route_config_name, "HttpConnectionManager.rds.route_config_name"))
        case HCM__HTTP_CONNECTION_MANAGER__ROUTE_SPECIFIER_ROUTE_CONFIG:
            guard let config = h.route_config else { throw WireError.malformed("HttpConnectionManager.route_config is null") }
            specifier = .inline(try RouteConfiguration(unpacked: config, field: "HttpConnectionManager.route_config"))
        default:
            throw WireError.unsupported("HttpConnectionManager has neither rds nor route_config")
        }
        self.init(
            statPrefix: try Unpacked.string(h.stat_prefix, "HttpConnectionManager.stat_prefix"),
            routeSpecifier: specifier,
            httpFilters: try Unpacked.elements(h.n_http_filters, h.http_filters, "HttpConnectionManager.http_filters") {
                (f) throws(WireError) in
                let any = f.pointee.config_type_case == HCM__HTTP_FILTER__CONFIG_TYPE_TYPED_CONFIG ? f.pointee.typed_config : nil
                return TypedExtension(
                    name: try Unpacked.string(f.pointee.name, "HttpConnectionManager.http_filters.name"),
                    typeURL: try Unpacked.string(any?.pointee.type_url, "HttpConnectionManager.http_filters.typed_config"))
            })
    }

    init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(
            wireBytes, hcm__http_connection_manager__descriptor, unpack: { hcm__http_connection_manager__unpack(nil, $0, $1) }
        ) { (h) throws(WireError) in try HttpConnectionManager(unpacked: h) }
    }

    func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}

extension TcpProxy {
    init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(wireBytes, tcpproxy__tcp_proxy__descriptor, unpack: { tcpproxy__tcp_proxy__unpack(nil, $0, $1) }) {
            (t) throws(WireError) in
            guard t.pointee.cluster_specifier_case == TCPPROXY__TCP_PROXY__CLUSTER_SPECIFIER_CLUSTER else {
                throw WireError.unsupported("TcpProxy has no cluster")
            }
            return TcpProxy(
                statPrefix: try Unpacked.string(t.pointee.stat_prefix, "TcpProxy.stat_prefix"),
                cluster: try Unpacked.string(t.pointee.cluster, "TcpProxy.cluster"))
        }
    }

    func wireBytes() -> [UInt8] {
        EncodeArena.pack { arena in
            arena.new(tcpproxy__tcp_proxy__init) {
                $0.stat_prefix = arena.cString(statPrefix)
                $0.cluster_specifier_case = TCPPROXY__TCP_PROXY__CLUSTER_SPECIFIER_CLUSTER
                $0.cluster = arena.cString(cluster)
            }
        }
    }
}

/// Istio's config source for EDS and RDS: `{ ads {} resource_api_version: V3 }`.
enum ADSConfigSource {
    static func build(in arena: EncodeArena) -> UnsafeMutablePointer<Core__ConfigSource> {
        let ads = arena.new(core__aggregated_config_source__init)
        return arena.new(core__config_source__init) {
            $0.config_source_specifier_case = CORE__CONFIG_SOURCE__CONFIG_SOURCE_SPECIFIER_ADS
            $0.ads = ads
            $0.resource_api_version = CORE__API_VERSION__V3
        }
    }
}

/// `google.protobuf.BoolValue` (the model uses `Bool?` where Envoy has the wrapper).
enum ProtoBoolValue {
    static func build(_ value: Bool, in arena: EncodeArena) -> UnsafeMutablePointer<Pb__BoolValue> {
        arena.new(pb__bool_value__init) { $0.value = value ? 1 : 0 }
    }
}
