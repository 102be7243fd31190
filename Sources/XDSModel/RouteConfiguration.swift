/// `envoy.config.route.v3.RouteConfiguration` and its parts, reduced to what istiod's default
/// routes carry: virtual hosts by domain, each route a path match to one cluster.
public struct RouteConfiguration: Hashable, Sendable {
    public var name: String
    package var virtualHosts: [VirtualHost]
    /// `validate_clusters` (a `BoolValue`); nil when unset.
    package var validateClusters: Bool?
    package init(name: String, virtualHosts: [VirtualHost], validateClusters: Bool? = nil) {
        self.name = name
        self.virtualHosts = virtualHosts
        self.validateClusters = validateClusters
    }
}

/// `envoy.config.route.v3.VirtualHost`.
public struct VirtualHost: Hashable, Sendable {
    package var name: String
    package var domains: [String]
    package var routes: [Route]
    package init(name: String, domains: [String], routes: [Route]) {
        self.name = name
        self.domains = domains
        self.routes = routes
    }
}

/// `envoy.config.route.v3.Route` with a `RouteAction` to one cluster.
public struct Route: Hashable, Sendable {
    /// `RouteMatch.path_specifier`.
    public enum Match: Hashable, Sendable {
        case prefix(String)
        case path(String)
    }

    package var name: String
    package var match: Match
    package var cluster: String
    /// `RouteAction.timeout`; nil when unset (Envoy's 15 s default), zero disables it.
    package var timeout: ProtoDuration?
    /// `decorator.operation`; empty when unset.
    package var operation: String
    package init(name: String, match: Match, cluster: String, timeout: ProtoDuration? = nil, operation: String = "") {
        self.name = name
        self.match = match
        self.cluster = cluster
        self.timeout = timeout
        self.operation = operation
    }
}
