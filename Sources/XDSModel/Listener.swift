/// `envoy.config.listener.v3.Listener` and its parts, reduced to what istiod's sidecar and gateway
/// listeners carry: an address, filter chains selected by destination port, address range,
/// transport and application protocol, and in each chain either an HTTP connection manager or a
/// TCP proxy. Listener filters and the router carry empty configurations (Istio's defaults).
public struct Listener: Hashable, Sendable {
    /// `envoy.config.core.v3.TrafficDirection`.
    public enum TrafficDirection: Int32, Hashable, Sendable {
        case unspecified = 0, inbound = 1, outbound = 2
    }

    public var name: String
    package var address: SocketAddress
    package var filterChains: [FilterChain]
    package var defaultFilterChain: FilterChain?
    package var listenerFilters: [TypedExtension]
    /// `use_original_dst` (a `BoolValue`); nil when unset.
    package var useOriginalDst: Bool?
    /// `bind_to_port` (a `BoolValue`); nil when unset (Envoy binds).
    package var bindToPort: Bool?
    package var trafficDirection: TrafficDirection

    public init(
        name: String, address: SocketAddress, filterChains: [FilterChain] = [], defaultFilterChain: FilterChain? = nil,
        listenerFilters: [TypedExtension] = [], useOriginalDst: Bool? = nil, bindToPort: Bool? = nil,
        trafficDirection: TrafficDirection = .unspecified
    ) {
        self.name = name
        self.address = address
        self.filterChains = filterChains
        self.defaultFilterChain = defaultFilterChain
        self.listenerFilters = listenerFilters
        self.useOriginalDst = useOriginalDst
        self.bindToPort = bindToPort
        self.trafficDirection = trafficDirection
    }

    /// The route configuration names this listener's HTTP connection managers ask RDS for.
    package var routeConfigNames: [String] {
        (filterChains + (defaultFilterChain.map { [$0] } ?? [])).flatMap(\.filters).compactMap {
            if case .httpConnectionManager(let hcm) = $0, case .rds(let name) = hcm.routeSpecifier { return name }
            return nil
        }
    }
}

/// An extension configured by name with an empty typed config (`{"@type": typeURL}`): the
/// listener filters and the router, all left at their defaults by Istio.
public struct TypedExtension: Hashable, Sendable {
    package var name: String
    package var typeURL: String
    package init(name: String, typeURL: String) {
        self.name = name
        self.typeURL = typeURL
    }
}

/// `envoy.config.listener.v3.FilterChain`.
public struct FilterChain: Hashable, Sendable {
    package var name: String
    package var match: FilterChainMatch?
    package var filters: [NetworkFilter]
    package init(name: String = "", match: FilterChainMatch? = nil, filters: [NetworkFilter]) {
        self.name = name
        self.match = match
        self.filters = filters
    }
}

/// `envoy.config.listener.v3.FilterChainMatch`.
public struct FilterChainMatch: Hashable, Sendable {
    /// `destination_port` (a `UInt32Value`); nil when unset.
    package var destinationPort: UInt32?
    package var prefixRanges: [CidrRange]
    package var transportProtocol: String
    package var applicationProtocols: [String]
    package init(
        destinationPort: UInt32? = nil, prefixRanges: [CidrRange] = [], transportProtocol: String = "",
        applicationProtocols: [String] = []
    ) {
        self.destinationPort = destinationPort
        self.prefixRanges = prefixRanges
        self.transportProtocol = transportProtocol
        self.applicationProtocols = applicationProtocols
    }
}

/// `envoy.config.core.v3.CidrRange`.
public struct CidrRange: Hashable, Sendable {
    package var addressPrefix: String
    /// `prefix_len` (a `UInt32Value`); nil when unset.
    package var prefixLen: UInt32?
    package init(addressPrefix: String, prefixLen: UInt32?) {
        self.addressPrefix = addressPrefix
        self.prefixLen = prefixLen
    }
}

/// A network filter (`envoy.config.listener.v3.Filter`) of the two kinds istiod puts in chains.
public enum NetworkFilter: Hashable, Sendable {
    case httpConnectionManager(HttpConnectionManager)
    case tcpProxy(TcpProxy)

    /// The filter's name as Istio writes it (`wellknown.HTTPConnectionManager`, `wellknown.TCPProxy`).
    package var name: String {
        switch self {
        case .httpConnectionManager: "envoy.filters.network.http_connection_manager"
        case .tcpProxy: "envoy.filters.network.tcp_proxy"
        }
    }
}

/// `envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`.
public struct HttpConnectionManager: Hashable, Sendable {
    /// Where the routes come from: RDS over ADS by name, or inline.
    public enum RouteSpecifier: Hashable, Sendable {
        case rds(String)
        case inline(RouteConfiguration)
    }

    package var statPrefix: String
    package var routeSpecifier: RouteSpecifier
    package var httpFilters: [TypedExtension]
    package init(statPrefix: String, routeSpecifier: RouteSpecifier, httpFilters: [TypedExtension] = [.router]) {
        self.statPrefix = statPrefix
        self.routeSpecifier = routeSpecifier
        self.httpFilters = httpFilters
    }
}

extension TypedExtension {
    /// The router, the last HTTP filter of every chain.
    package static let router = TypedExtension(
        name: "envoy.filters.http.router", typeURL: TypeURL.prefix + "envoy.extensions.filters.http.router.v3.Router")
}

/// `envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy` to one cluster.
public struct TcpProxy: Hashable, Sendable {
    package var statPrefix: String
    package var cluster: String
    package init(statPrefix: String, cluster: String) {
        self.statPrefix = statPrefix
        self.cluster = cluster
    }
}
