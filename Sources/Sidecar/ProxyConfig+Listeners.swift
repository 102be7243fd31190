import Foundation
import XDSModel

/// The listeners and route configurations a proxy accepted, as Envoy's `ListenersConfigDump` and
/// `RoutesConfigDump` report them: each with the version of the response that last changed it.
extension ProxyConfig {
    /// A listener as accepted over LDS (`ListenersConfigDump.DynamicListener`, active state).
    package struct HeldListener: Hashable, Sendable {
        package var listener: Listener
        package var versionInfo: ResourceVersion
        package var lastUpdated: Date
    }

    /// A route configuration as accepted over RDS (`RoutesConfigDump.DynamicRouteConfig`).
    package struct HeldRoute: Hashable, Sendable {
        package var route: RouteConfiguration
        package var versionInfo: ResourceVersion
        package var lastUpdated: Date
    }

    /// The RDS names this proxy must subscribe to: those its listeners' HTTP connection managers
    /// name, sorted.
    package var rdsNames: [String] { Set(listeners.values.flatMap(\.listener.routeConfigNames)).sorted() }

    /// Replaces the listeners with an accepted LDS response (unchanged ones keep their version and
    /// time); route configurations no listener names any more are dropped, as Envoy drops an RDS
    /// subscription with its last connection manager.
    mutating func acceptListeners(_ accepted: [Listener], version: ResourceVersion, at now: Date) {
        listeners = Self.replacing(listeners, with: accepted, name: \.name, value: \.listener) {
            HeldListener(listener: $0, versionInfo: version, lastUpdated: now)
        }
        listenersVersion = version
        let needed = Set(rdsNames)
        routes = routes.filter { needed.contains($0.key) }
    }

    /// Stores accepted route configurations; names absent from the response keep what they had,
    /// names nobody asked for are ignored (as for endpoints).
    mutating func acceptRoutes(_ accepted: [RouteConfiguration], version: ResourceVersion, at now: Date) {
        Self.merge(accepted, into: &routes, wanted: Set(rdsNames), name: \.name, value: \.route) {
            HeldRoute(route: $0, versionInfo: version, lastUpdated: now)
        }
        routesVersion = version
    }
}
