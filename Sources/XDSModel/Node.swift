/// `envoy.config.core.v3.Node`: who a proxy says it is. Istio reads the id
/// (`sidecar~IP~POD.NS~NS.svc.cluster.local`) and the metadata (`ISTIO_VERSION`, `NAMESPACE`, …).
public struct Node: Hashable, Sendable {
    package var id: String
    package var cluster: String
    /// `google.protobuf.Struct` metadata.
    package var metadata: [String: MetadataValue]
    package var locality: Locality?
    package var userAgentName: String

    public init(
        id: String, cluster: String = "", metadata: [String: MetadataValue] = [:],
        locality: Locality? = nil, userAgentName: String = ""
    ) {
        self.id = id
        self.cluster = cluster
        self.metadata = metadata
        self.locality = locality
        self.userAgentName = userAgentName
    }

    /// A string metadata value, or nil when absent or not a string.
    package func metadataString(_ key: String) -> String? {
        if case .string(let s)? = metadata[key] { return s }
        return nil
    }
}

/// `google.protobuf.Value`.
public indirect enum MetadataValue: Hashable, Sendable {
    case null
    case number(Double)
    case string(String)
    case bool(Bool)
    case structure([String: MetadataValue])
    case list([MetadataValue])
}

/// `envoy.config.core.v3.Locality`.
public struct Locality: Hashable, Sendable {
    package var region: String
    package var zone: String
    package var subZone: String
    public init(region: String = "", zone: String = "", subZone: String = "") {
        self.region = region
        self.zone = zone
        self.subZone = subZone
    }
}
