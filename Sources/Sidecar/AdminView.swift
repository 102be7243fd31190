import Foundation
import JSON
import XDSModel

/// Envoy's admin endpoints (`/clusters?format=json`, `/config_dump`, `/server_info`) rendered from
/// a ``SidecarSnapshot``: pure functions, so every byte is testable without a server. Shapes,
/// key names (snake_case: Envoy prints proto field names), key order and defaults are copied from
/// Envoy 1.40 answering the same bootstrap and resources (see Tests/SidecarTests/EnvoyCaptures.swift).
package enum AdminView {
    /// The `@type` names Envoy puts on each `config_dump` entry and embedded resource.
    package enum TypeName {
        package static let bootstrapDump = "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump"
        package static let clustersDump = "type.googleapis.com/envoy.admin.v3.ClustersConfigDump"
        package static let endpointsDump = "type.googleapis.com/envoy.admin.v3.EndpointsConfigDump"
        package static let listenersDump = "type.googleapis.com/envoy.admin.v3.ListenersConfigDump"
        package static let secretsDump = "type.googleapis.com/envoy.admin.v3.SecretsConfigDump"
        package static let cluster = TypeURL.cluster.rawValue
        package static let clusterLoadAssignment = TypeURL.endpoint.rawValue
        package static let httpProtocolOptions =
            "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions"
    }

    /// Envoy's admin port inside a pod (istio-proxy's `--admin-port`, shown in the bootstrap dump).
    package static let envoyAdminPort: Int64 = 15000

    // MARK: Shared pieces

    /// `envoy.config.core.v3.Address`: a socket address, or a `pipe` for the path-shaped address
    /// with port 0 that stands for a Unix socket (``SidecarBootstrap/agentXDSSocket``).
    static func address(_ socket: SocketAddress) -> JSONValue {
        if isPipe(socket) { return .object(["pipe": .object(["path": .string(socket.address)])]) }
        return .object([
            "socket_address": .object([
                "address": .string(socket.address), "port_value": .int(Int64(socket.portValue)),
            ])
        ])
    }

    static func isPipe(_ socket: SocketAddress) -> Bool {
        socket.portValue == 0 && (socket.address.hasPrefix("/") || socket.address.hasPrefix("./"))
    }

    /// The health Envoy reports for a host from its EDS status: UNKNOWN counts as HEALTHY and
    /// TIMEOUT as UNHEALTHY (measured on Envoy 1.40).
    static func effectiveHealth(_ status: HealthStatus) -> String {
        switch status {
        case .unknown, .healthy: "HEALTHY"
        case .unhealthy, .timeout: "UNHEALTHY"
        case .draining: "DRAINING"
        case .degraded: "DEGRADED"
        }
    }

    /// `google.protobuf.Duration` in JSON: seconds with 0, 3, 6 or 9 fractional digits, then `s`.
    static func duration(_ d: ProtoDuration) -> String {
        guard d.nanos != 0 else { return "\(d.seconds)s" }
        let negative = d.seconds < 0 || d.nanos < 0
        let nanos = abs(Int64(d.nanos))
        var fraction = String(nanos)
        fraction = String(repeating: "0", count: 9 - fraction.count) + fraction
        while fraction.count > 3 && fraction.hasSuffix("000") { fraction.removeLast(3) }
        return "\(negative && d.seconds == 0 ? "-" : "")\(d.seconds).\(fraction)s"
    }

    /// `google.protobuf.Timestamp` in JSON, as Envoy prints `last_updated`: `2026-11-28T15:19:20.525Z`.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    /// A `google.protobuf.Struct` value (node metadata), keys sorted for stable output.
    static func metadata(_ value: MetadataValue) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let b): .bool(b)
        case .number(let n): n == n.rounded() && abs(n) < 9e15 ? .int(Int64(n)) : .string(String(n))
        case .string(let s): .string(s)
        case .list(let items): .array(items.map(metadata))
        case .structure(let fields): .object(JSONObject(fields.sorted { $0.key < $1.key }.map { ($0.key, metadata($0.value)) }))
        }
    }
}
