import XDSModel

/// What one stream has subscribed to for one type, and where the exchange stands: the last
/// response sent, the last one acknowledged, the last rejection.
public struct Watch: Sendable, Equatable {
    /// Subscribed to every resource of the type (CDS's empty name list, or `*`).
    public var wildcard: Bool
    /// Resource names subscribed to by name.
    public var names: Set<String>
    public var sentNonce: Nonce?
    public var sentVersion: ResourceVersion?
    public var ackedNonce: Nonce?
    public var ackedVersion: ResourceVersion?
    /// The `error_detail` of the last NACK; cleared when a later response is acknowledged.
    public var lastNack: RPCStatus?
    /// Delta: the version of each resource the client holds (from `initial_resource_versions`
    /// and what was sent since). Unused for state of the world.
    public var known: [String: ResourceVersion]

    public init(wildcard: Bool, names: Set<String>, known: [String: ResourceVersion] = [:]) {
        self.wildcard = wildcard
        self.names = names
        self.known = known
    }

    public func isSubscribed(to name: String) -> Bool { wildcard || names.contains(name) }

    /// Whether the client acknowledged the last response it was sent.
    public var isInSync: Bool { sentNonce != nil && ackedNonce == sentNonce }
}
