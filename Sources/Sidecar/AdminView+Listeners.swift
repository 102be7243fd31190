import Foundation
import JSON
import XDSModel

/// The `ListenersConfigDump` and `RoutesConfigDump` sections of `/config_dump`, as Envoy 1.40
/// renders them: each dynamic listener under its name with an `active_state` (version, the
/// listener with its `@type`, last update), the inline route configurations of its HTTP connection
/// managers as static route configurations, each dynamic one with its version and last update;
/// fields in field-number order, typed configs with their `@type`, default values left out
/// (protobuf's JSON printer, as Envoy's admin uses it; checked against a real Envoy 1.40's dump).
extension AdminView {
    static let listenerTypeName = TypeURL.listener.rawValue
    static let routeTypeName = TypeURL.route.rawValue
    static let routesDumpTypeName = "type.googleapis.com/envoy.admin.v3.RoutesConfigDump"
    static let scopedRoutesDumpTypeName = "type.googleapis.com/envoy.admin.v3.ScopedRoutesConfigDump"

    package static func listenersDump(_ snapshot: SidecarSnapshot) -> JSONValue {
        var fields: JSONObject = ["@type": .string(TypeName.listenersDump)]
        let config = snapshot.config
        if config.listenersVersion != .none { fields["version_info"] = .string(config.listenersVersion.rawValue) }
        let dynamic = config.listeners.keys.sorted().map { name -> JSONValue in
            let held = config.listeners[name]!
            return .object([
                "name": .string(name),
                "active_state": .object([
                    "version_info": .string(held.versionInfo.rawValue),
                    "listener": listener(held.listener),
                    "last_updated": .string(timestamp(held.lastUpdated)),
                ]),
            ])
        }
        if !dynamic.isEmpty { fields["dynamic_listeners"] = .array(dynamic) }
        return .object(fields)
    }

    package static func routesDump(_ snapshot: SidecarSnapshot) -> JSONValue {
        var fields: JSONObject = ["@type": .string(routesDumpTypeName)]
        let config = snapshot.config
        var inline: [String: (RouteConfiguration, Date)] = [:]
        for held in config.listeners.values {
            for route in held.listener.inlineRoutes { inline[route.name] = (route, held.lastUpdated) }
        }
        if !inline.isEmpty {
            fields["static_route_configs"] = .array(inline.keys.sorted().map { name in
                .object([
                    "route_config": routeConfiguration(inline[name]!.0, typed: true),
                    "last_updated": .string(timestamp(inline[name]!.1)),
                ])
            })
        }
        let dynamic = config.routes.keys.sorted().map { name -> JSONValue in
            let held = config.routes[name]!
            return .object([
                "version_info": .string(held.versionInfo.rawValue),
                "route_config": routeConfiguration(held.route, typed: true),
                "last_updated": .string(timestamp(held.lastUpdated)),
            ])
        }
        if !dynamic.isEmpty { fields["dynamic_route_configs"] = .array(dynamic) }
        return .object(fields)
    }

    // MARK: Listener

    static func listener(_ l: Listener) -> JSONValue {
        var fields: JSONObject = ["@type": .string(listenerTypeName), "name": .string(l.name), "address": address(l.address)]
        if !l.filterChains.isEmpty { fields["filter_chains"] = .array(l.filterChains.map(filterChain)) }
        if let use = l.useOriginalDst { fields["use_original_dst"] = .bool(use) }
        if !l.listenerFilters.isEmpty {
            fields["listener_filters"] = .array(l.listenerFilters.map(typedExtension))
        }
        if l.trafficDirection != .unspecified {
            fields["traffic_direction"] = .string(l.trafficDirection == .inbound ? "INBOUND" : "OUTBOUND")
        }
        if let chain = l.defaultFilterChain { fields["default_filter_chain"] = filterChain(chain) }
        if let bind = l.bindToPort { fields["bind_to_port"] = .bool(bind) }
        return .object(fields)
    }

    static func filterChain(_ c: FilterChain) -> JSONValue {
        var fields: JSONObject = [:]
        if let m = c.match {
            var match: JSONObject = [:]
            if !m.prefixRanges.isEmpty {
                match["prefix_ranges"] = .array(m.prefixRanges.map { r in
                    var range: JSONObject = ["address_prefix": .string(r.addressPrefix)]
                    if let len = r.prefixLen { range["prefix_len"] = .int(Int64(len)) }
                    return .object(range)
                })
            }
            if let port = m.destinationPort { match["destination_port"] = .int(Int64(port)) }
            if !m.transportProtocol.isEmpty { match["transport_protocol"] = .string(m.transportProtocol) }
            if !m.applicationProtocols.isEmpty { match["application_protocols"] = .array(m.applicationProtocols.map(JSONValue.string)) }
            fields["filter_chain_match"] = .object(match)
        }
        fields["filters"] = .array(c.filters.map { filter in
            .object(["name": .string(filter.name), "typed_config": networkFilterConfig(filter)])
        })
        if !c.name.isEmpty { fields["name"] = .string(c.name) }
        return .object(fields)
    }

    static func networkFilterConfig(_ filter: NetworkFilter) -> JSONValue {
        switch filter {
        case .tcpProxy(let t):
            return .object([
                "@type": "type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy",
                "stat_prefix": .string(t.statPrefix), "cluster": .string(t.cluster),
            ])
        case .httpConnectionManager(let h):
            var fields: JSONObject = [
                "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
                "stat_prefix": .string(h.statPrefix),
            ]
            switch h.routeSpecifier {
            case .rds(let name):
                fields["rds"] = .object([
                    "config_source": .object(["ads": .object([:]), "resource_api_version": "V3"]),
                    "route_config_name": .string(name),
                ])
            case .inline(let config):
                fields["route_config"] = routeConfiguration(config, typed: false)
            }
            fields["http_filters"] = .array(h.httpFilters.map(typedExtension))
            return .object(fields)
        }
    }

    static func typedExtension(_ e: TypedExtension) -> JSONValue {
        .object(["name": .string(e.name), "typed_config": .object(["@type": .string(e.typeURL)])])
    }

    // MARK: Routes

    static func routeConfiguration(_ r: RouteConfiguration, typed: Bool) -> JSONValue {
        var fields: JSONObject = [:]
        if typed { fields["@type"] = .string(routeTypeName) }
        if !r.name.isEmpty { fields["name"] = .string(r.name) }
        fields["virtual_hosts"] = .array(r.virtualHosts.map { v in
            var host: JSONObject = ["name": .string(v.name), "domains": .array(v.domains.map(JSONValue.string))]
            if !v.routes.isEmpty { host["routes"] = .array(v.routes.map(route)) }
            return .object(host)
        })
        if let validate = r.validateClusters { fields["validate_clusters"] = .bool(validate) }
        return .object(fields)
    }

    static func route(_ r: Route) -> JSONValue {
        var fields: JSONObject = [:]
        switch r.match {
        case .prefix(let p): fields["match"] = .object(["prefix": .string(p)])
        case .path(let p): fields["match"] = .object(["path": .string(p)])
        }
        var action: JSONObject = ["cluster": .string(r.cluster)]
        if let timeout = r.timeout { action["timeout"] = .string(duration(timeout)) }
        fields["route"] = .object(action)
        if !r.operation.isEmpty { fields["decorator"] = .object(["operation": .string(r.operation)]) }
        if !r.name.isEmpty { fields["name"] = .string(r.name) }
        return .object(fields)
    }
}

extension Listener {
    /// The route configurations its HTTP connection managers carry inline.
    var inlineRoutes: [RouteConfiguration] {
        (filterChains + (defaultFilterChain.map { [$0] } ?? [])).flatMap(\.filters).compactMap {
            if case .httpConnectionManager(let h) = $0, case .inline(let route) = h.routeSpecifier { return route }
            return nil
        }
    }

    var hasHTTPConnectionManager: Bool {
        (filterChains + (defaultFilterChain.map { [$0] } ?? [])).contains { chain in
            chain.filters.contains { if case .httpConnectionManager = $0 { true } else { false } }
        }
    }
}
