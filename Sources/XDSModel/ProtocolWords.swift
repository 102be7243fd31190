/// The typed words of the xDS protocol. Versions and nonces are opaque: compared for equality only.

/// A resource type URL as it travels in `type_url` (`type.googleapis.com/<full message name>`).
public struct TypeURL: RawRepresentable, Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }

    package static let prefix = "type.googleapis.com/"
    public static let cluster = TypeURL(prefix + "envoy.config.cluster.v3.Cluster")
    public static let endpoint = TypeURL(prefix + "envoy.config.endpoint.v3.ClusterLoadAssignment")
    public static let listener = TypeURL(prefix + "envoy.config.listener.v3.Listener")
    public static let route = TypeURL(prefix + "envoy.config.route.v3.RouteConfiguration")
    /// Istio's debug type: a request for it asks istiod what it knows about its connected proxies
    /// (what `istioctl proxy-status` and `istioctl version` read).
    package static let syncz = TypeURL("istio.io/debug/syncz")

    /// The types this emulator serves as resources. Anything else is answered without ending the stream.
    package static let served: Set<TypeURL> = [.cluster, .endpoint, .listener, .route]

    /// The short name used in tables and logs (`CDS`, `EDS`, …), or the full URL if unknown.
    package var shortName: String {
        switch self {
        case .cluster: "CDS"
        case .endpoint: "EDS"
        case .listener: "LDS"
        case .route: "RDS"
        default: rawValue
        }
    }

    public var description: String { rawValue }
    public static func < (a: TypeURL, b: TypeURL) -> Bool { a.rawValue < b.rawValue }
}

/// `version_info` / a resource's version. Opaque: equality only.
public struct ResourceVersion: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static let none = ResourceVersion("")
    public var description: String { rawValue }
}

/// `nonce` / `response_nonce`. Opaque: equality only.
public struct Nonce: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public static let none = Nonce("")
    public var description: String { rawValue }
}

/// `google.rpc.Status`, as carried in `error_detail` of a NACK.
public struct RPCStatus: Hashable, Sendable {
    package var code: Int32
    package var message: String
    package init(code: Int32, message: String) {
        self.code = code
        self.message = message
    }
}
