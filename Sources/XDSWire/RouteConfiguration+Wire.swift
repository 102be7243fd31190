internal import CXDSProto
import XDSModel

// envoy.config.route.v3.RouteConfiguration and its parts: the RDS resource, and the inline
// `route_config` of an inbound HTTP connection manager.

extension RouteConfiguration {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Route__RouteConfiguration> {
        arena.new(route__route_configuration__init) { r in
            r.name = arena.cString(name)
            r.n_virtual_hosts = virtualHosts.count
            r.virtual_hosts = arena.pointers(virtualHosts) { $0.build(in: arena) }
            r.validate_clusters = validateClusters.map { ProtoBoolValue.build($0, in: arena) }
        }
    }

    init(unpacked p: UnsafePointer<Route__RouteConfiguration>, field: @autoclosure () -> String) throws(WireError) {
        let r = p.pointee
        self.init(
            name: try Unpacked.string(r.name, "\(field()).name"),
            virtualHosts: try Unpacked.elements(r.n_virtual_hosts, r.virtual_hosts, "\(field()).virtual_hosts") {
                (v) throws(WireError) in try VirtualHost(unpacked: v, field: "\(field()).virtual_hosts")
            },
            validateClusters: r.validate_clusters.map { $0.pointee.value != 0 })
    }

    public init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(
            wireBytes, route__route_configuration__descriptor, unpack: { route__route_configuration__unpack(nil, $0, $1) }
        ) { (r) throws(WireError) in try RouteConfiguration(unpacked: r, field: "RouteConfiguration") }
    }

    public func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}

extension VirtualHost {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Route__VirtualHost> {
        arena.new(route__virtual_host__init) { v in
            v.name = arena.cString(name)
            v.n_domains = domains.count
            v.domains = arena.strings(domains)
            v.n_routes = routes.count
            v.routes = arena.pointers(routes) { $0.build(in: arena) }
        }
    }

    init(unpacked p: UnsafePointer<Route__VirtualHost>, field: @autoclosure () -> String) throws(WireError) {
        let v = p.pointee
        self.init(
            name: try Unpacked.string(v.name, "\(field()).name"),
            domains: try Unpacked.strings(v.n_domains, v.domains, "\(field()).domains"),
            routes: try Unpacked.elements(v.n_routes, v.routes, "\(field()).routes") { (r) throws(WireError) in
                try Route(unpacked: r, field: "\(field()).routes")
            })
    }
}

extension Route {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Route__Route> {
        let match = arena.new(route__route_match__init) { m in
            switch self.match {
            case .prefix(let prefix):
                m.path_specifier_case = ROUTE__ROUTE_MATCH__PATH_SPECIFIER_PREFIX
                m.prefix = arena.cString(prefix)
            case .path(let path):
                m.path_specifier_case = ROUTE__ROUTE_MATCH__PATH_SPECIFIER_PATH
                m.path = arena.cString(path)
            }
        }
        let action = arena.new(route__route_action__init) {
            $0.cluster_specifier_case = ROUTE__ROUTE_ACTION__CLUSTER_SPECIFIER_CLUSTER
            $0.cluster = arena.cString(cluster)
            $0.timeout = timeout?.build(in: arena)
        }
        return arena.new(route__route__init) { r in
            r.match = match
            r.action_case = ROUTE__ROUTE__ACTION_ROUTE
            r.route = action
            if !operation.isEmpty { r.decorator = arena.new(route__decorator__init) { $0.operation = arena.cString(operation) } }
            r.name = arena.cString(name)
        }
    }

    init(unpacked p: UnsafePointer<Route__Route>, field: @autoclosure () -> String) throws(WireError) {
        let r = p.pointee
        guard let m = r.match else { throw WireError.malformed("\(field()).match is missing") }
        let match: Match
        switch m.pointee.path_specifier_case {
        case ROUTE__ROUTE_MATCH__PATH_SPECIFIER_PREFIX: match = .prefix(try Unpacked.string(m.pointee.prefix, "\(field()).match.prefix"))
        case ROUTE__ROUTE_MATCH__PATH_SPECIFIER_PATH: match = .path(try Unpacked.string(m.pointee.path, "\(field()).match.path"))
        default: throw WireError.unsupported("\(field()).match has no prefix or path")
        }
        guard r.action_case == ROUTE__ROUTE__ACTION_ROUTE, let action = r.route,
            action.pointee.cluster_specifier_case == ROUTE__ROUTE_ACTION__CLUSTER_SPECIFIER_CLUSTER
        else { throw WireError.unsupported("\(field()) is not a route to one cluster") }
        self.init(
            name: try Unpacked.string(r.name, "\(field()).name"),
            match: match,
            cluster: try Unpacked.string(action.pointee.cluster, "\(field()).route.cluster"),
            timeout: action.pointee.timeout.map { ProtoDuration(unpacked: $0) },
            operation: try Unpacked.string(r.decorator?.pointee.operation, "\(field()).decorator.operation"))
    }
}
