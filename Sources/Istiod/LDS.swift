import Kubernetes
import XDSModel

/// istiod's listener generator for one proxy scope, reduced to the plaintext shape (this mesh has
/// no certificates, so the TLS filter chains of PERMISSIVE mTLS are left out). Names and shapes
/// follow `pilot/pkg/networking/core/v1alpha3/listener.go@1.20.0`,
/// `listener_builder.go@1.20.0` (virtualOutbound / virtualInbound) and `gateway.go@1.20.0`. Pure.
///
/// A sidecar gets:
/// - `virtualOutbound` on 0.0.0.0:15001 (`use_original_dst`): a blackhole chain for its own port,
///   then everything to `PassthroughCluster`;
/// - `virtualInbound` on 0.0.0.0:15006: a blackhole chain for its own port, one chain per inbound
///   port of the pod (HTTP to an inline route to `inbound|PORT||`, TCP to that cluster; a sniffed
///   port gets both), and the passthrough chains to `InboundPassthroughClusterIpv4`;
/// - per Service port: HTTP and sniffed ports share `0.0.0.0_PORT` (an HTTP connection manager
///   with RDS route `PORT`; sniffed ports also a TCP chain), TCP ports get `VIP_PORT` with a
///   TCP proxy to `outbound|PORT||HOST`; every outbound listener falls back to
///   `PassthroughFilterChain` and is not bound (iptables sends traffic to 15001).
///
/// A gateway gets one `0.0.0.0_PORT` listener per HTTP server port of its Gateways (RDS route
/// `http.NUMBER`). These are Istio's listeners as data: simulated proxies bind nothing, and what
/// a real Envoy is given instead is `RealEnvoyListeners`' one rule.
enum LDS {
    /// The address Istio's listeners carry and `proxy-config listeners` prints; never bound here
    /// (`RealEnvoyListeners`).
    static let wildcard = "0.0.0.0"
    static let virtualOutboundPort = 15001
    static let virtualInboundPort = 15006
    /// `pilot/pkg/networking/util/util.go@1.20.0`.
    static let blackHoleCluster = "BlackHoleCluster"
    static let passthroughCluster = "PassthroughCluster"
    static let inboundPassthroughCluster = "InboundPassthroughClusterIpv4"
    /// Plaintext HTTP as the HTTP inspector reports it (`listener.go@1.20.0`, `plaintextHTTPALPNs`
    /// as chains match them).
    static let httpALPNs = ["http/1.1", "h2c"]
    static let rawBuffer = "raw_buffer"

    static func listeners(_ scope: ProxyScope, services: [ServiceView]) -> [Listener] {
        switch scope.kind {
        case .sidecar:
            return ([virtualOutbound(), virtualInbound(scope)] + outbound(services))
                .sorted { $0.name < $1.name }
        case .router:
            return gateway(scope)
        }
    }

    // MARK: Sidecar

    static func virtualOutbound() -> Listener {
        Listener(
            name: "virtualOutbound", address: SocketAddress(address: wildcard, portValue: UInt32(virtualOutboundPort)),
            filterChains: [
                blackHoleChain(name: "virtualOutbound-blackhole", port: virtualOutboundPort),
                FilterChain(name: "virtualOutbound-catchall-tcp", filters: [tcpProxy(passthroughCluster)]),
            ],
            useOriginalDst: true, trafficDirection: .outbound)
    }

    static func virtualInbound(_ scope: ProxyScope) -> Listener {
        var chains = [blackHoleChain(name: "virtualInbound-blackhole", port: virtualInboundPort)]
        for inbound in scope.inbound {
            let cluster = CDS.inboundClusterName(port: inbound.port)
            let name = "\(wildcard)_\(inbound.port)"
            if inbound.proto.carriesHTTP {
                let route = RouteConfiguration(
                    name: cluster,
                    virtualHosts: [VirtualHost(
                        name: "inbound|http|\(inbound.port)", domains: ["*"],
                        routes: [Route(
                            name: "default", match: .prefix("/"), cluster: cluster, timeout: ProtoDuration(seconds: 0),
                            operation: "\(scope.namespace):\(inbound.port)/*")])],
                    validateClusters: false)
                chains.append(FilterChain(
                    name: name,
                    match: FilterChainMatch(
                        destinationPort: UInt32(inbound.port), transportProtocol: rawBuffer, applicationProtocols: httpALPNs),
                    filters: [.httpConnectionManager(HttpConnectionManager(
                        statPrefix: "inbound_\(name)", routeSpecifier: .inline(route)))]))
            }
            if inbound.proto != .http {
                chains.append(FilterChain(
                    name: name, match: FilterChainMatch(destinationPort: UInt32(inbound.port), transportProtocol: rawBuffer),
                    filters: [tcpProxy(cluster)]))
            }
        }
        let anyIPv4 = [CidrRange(addressPrefix: wildcard, prefixLen: 0)]
        let passthroughRoute = RouteConfiguration(
            name: inboundPassthroughCluster,
            virtualHosts: [VirtualHost(
                name: "inbound|http|0", domains: ["*"],
                routes: [Route(name: "default", match: .prefix("/"), cluster: inboundPassthroughCluster,
                               timeout: ProtoDuration(seconds: 0))])],
            validateClusters: false)
        chains.append(FilterChain(
            name: "virtualInbound-catchall-http",
            match: FilterChainMatch(prefixRanges: anyIPv4, transportProtocol: rawBuffer, applicationProtocols: httpALPNs),
            filters: [.httpConnectionManager(HttpConnectionManager(
                statPrefix: inboundPassthroughCluster, routeSpecifier: .inline(passthroughRoute)))]))
        chains.append(FilterChain(
            name: "virtualInbound", match: FilterChainMatch(prefixRanges: anyIPv4, transportProtocol: rawBuffer),
            filters: [tcpProxy(inboundPassthroughCluster)]))
        return Listener(
            name: "virtualInbound", address: SocketAddress(address: wildcard, portValue: UInt32(virtualInboundPort)),
            filterChains: chains, listenerFilters: [.originalDst, .tlsInspector, .httpInspector],
            trafficDirection: .inbound)
    }

    /// The outbound listeners of every Service port (Istio's `buildSidecarOutboundListeners`).
    static func outbound(_ services: [ServiceView]) -> [Listener] {
        var wildcardPorts: [Int: (proto: PortProtocol, tcpClusters: [String])] = [:]
        var listeners: [Listener] = []
        for service in services {
            for port in service.ports where port.protocol == "TCP" {
                let proto = PortProtocol(portName: port.name)
                let cluster = CDS.clusterName(port: port.port, service: service)
                if proto == .tcp {
                    let vip = service.clusterIP.isEmpty || service.clusterIP == "None" ? wildcard : service.clusterIP
                    listeners.append(outboundListener(
                        address: vip, port: port.port,
                        chains: [FilterChain(filters: [.tcpProxy(TcpProxy(statPrefix: cluster, cluster: cluster))])]))
                } else {
                    var entry = wildcardPorts[port.port] ?? (proto, [])
                    if proto == .auto { entry.proto = .auto; entry.tcpClusters.append(cluster) }
                    wildcardPorts[port.port] = entry
                }
            }
        }
        for (port, entry) in wildcardPorts.sorted(by: { $0.key < $1.key }) {
            var chains = [FilterChain(
                match: FilterChainMatch(transportProtocol: rawBuffer, applicationProtocols: httpALPNs),
                filters: [.httpConnectionManager(HttpConnectionManager(
                    statPrefix: "outbound_\(wildcard)_\(port)", routeSpecifier: .rds(String(port))))])]
            // A sniffed port's non-HTTP traffic goes to the (first) service's cluster.
            if let cluster = entry.tcpClusters.sorted().first {
                chains.append(FilterChain(
                    match: FilterChainMatch(transportProtocol: rawBuffer),
                    filters: [.tcpProxy(TcpProxy(statPrefix: cluster, cluster: cluster))]))
            }
            listeners.append(outboundListener(address: wildcard, port: port, chains: chains))
        }
        // Headless TCP services share 0.0.0.0 with the HTTP listener of their port: one listener per
        // name, as Envoy requires (istiod reports such conflicts and keeps the first).
        var seen: Set<String> = []
        return listeners.filter { seen.insert($0.name).inserted }
    }

    static func outboundListener(address: String, port: Int, chains: [FilterChain]) -> Listener {
        Listener(
            name: "\(address)_\(port)", address: SocketAddress(address: address, portValue: UInt32(port)),
            filterChains: chains,
            defaultFilterChain: FilterChain(name: "PassthroughFilterChain", filters: [tcpProxy(passthroughCluster)]),
            listenerFilters: [.tlsInspector, .httpInspector], bindToPort: false, trafficDirection: .outbound)
    }

    // MARK: Gateway

    static func gateway(_ scope: ProxyScope) -> [Listener] {
        var byPort: [Int: [ProxyScope.GatewayServer]] = [:]
        for server in scope.servers { byPort[server.listenerPort, default: []].append(server) }
        return byPort.keys.sorted().map { port in
            let number = byPort[port]!.map(\.number).min()!
            return Listener(
                name: "\(wildcard)_\(port)", address: SocketAddress(address: wildcard, portValue: UInt32(port)),
                filterChains: [FilterChain(filters: [.httpConnectionManager(HttpConnectionManager(
                    statPrefix: "outbound_\(wildcard)_\(port)", routeSpecifier: .rds(RDS.gatewayRouteName(number: number))))])],
                trafficDirection: .outbound)
        }
    }

    // MARK: Parts

    static func tcpProxy(_ cluster: String) -> NetworkFilter { .tcpProxy(TcpProxy(statPrefix: cluster, cluster: cluster)) }

    /// Traffic addressed to the listener's own port would loop: Istio drops it.
    static func blackHoleChain(name: String, port: Int) -> FilterChain {
        FilterChain(name: name, match: FilterChainMatch(destinationPort: UInt32(port)), filters: [tcpProxy(blackHoleCluster)])
    }
}

extension TypedExtension {
    static let originalDst = TypedExtension(
        name: "envoy.filters.listener.original_dst",
        typeURL: TypeURL.prefix + "envoy.extensions.filters.listener.original_dst.v3.OriginalDst")
    static let tlsInspector = TypedExtension(
        name: "envoy.filters.listener.tls_inspector",
        typeURL: TypeURL.prefix + "envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector")
    static let httpInspector = TypedExtension(
        name: "envoy.filters.listener.http_inspector",
        typeURL: TypeURL.prefix + "envoy.extensions.filters.listener.http_inspector.v3.HttpInspector")
}
