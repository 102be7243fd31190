import Foundation
import XDSModel
import XDSTransport

/// The state of a sidecar's stream to its istiod.
package enum ConnectionState: Equatable, Sendable {
    /// Opening a stream (attempt 0 is the first try, or the first after a stream that worked).
    case connecting(attempt: Int)
    /// The stream is up: its first request was written.
    case connected(since: Date)
    /// The last stream ended with `status`; the next attempt starts after `retryIn`.
    case disconnected(status: CallStatus, retryIn: Duration)
    /// `stop()` was called; the stream is closed for good.
    case stopped

    package var isConnected: Bool {
        if case .connected = self { return true }
        return false
    }

    package var isDisconnected: Bool {
        if case .disconnected = self { return true }
        return false
    }
}

/// A consistent copy of one sidecar's state: what the admin view renders and tests assert on.
package struct SidecarSnapshot: Equatable, Sendable {
    package var bootstrap: SidecarBootstrap
    package var connection: ConnectionState
    /// What the proxy accepted and holds (survives disconnects, as Envoy keeps its config).
    package var config: ProxyConfig
    package var clusters: SubscriptionStatus
    package var endpoints: SubscriptionStatus
    package var listeners = SubscriptionStatus()
    package var routes = SubscriptionStatus()
    /// `control_plane.identifier` of the last response (istiod sends its pod name).
    package var controlPlaneIdentifier: String
    /// Streams opened so far (1 after the first connect; each reconnect adds one).
    package var streamsOpened: Int
    package var startedAt: Date

    /// The subscription status of `type` (CDS, EDS, LDS or RDS).
    package func subscription(_ type: TypeURL) -> SubscriptionStatus {
        switch type {
        case .endpoint: endpoints
        case .listener: listeners
        case .route: routes
        default: clusters
        }
    }
}
