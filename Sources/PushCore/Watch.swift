import XDSModel

/// What one stream has subscribed to for one type, and where the exchange stands: the last
/// response sent, the last one acknowledged, the last rejection.
public struct Watch: Sendable, Equatable {
    /// Subscribed to every resource of the type (CDS's empty name list, or `*`).
    package var wildcard: Bool
    /// Resource names subscribed to by name.
    package var names: Set<String>
    public package(set) var sentNonce: Nonce?
    package var sentVersion: ResourceVersion?
    package var ackedNonce: Nonce?
    public package(set) var ackedVersion: ResourceVersion?
    /// The `error_detail` of the last NACK; cleared when a later response is acknowledged.
    package var lastNack: RPCStatus?
    /// Delta: the version of each resource the client holds (from `initial_resource_versions`
    /// and what was sent since). Unused for state of the world.
    package var known: [String: ResourceVersion]

    package init(wildcard: Bool, names: Set<String>, known: [String: ResourceVersion] = [:]) {
        self.wildcard = wildcard
        self.names = names
        self.known = known
    }

    package func isSubscribed(to name: String) -> Bool { wildcard || names.contains(name) }

    /// Whether the client acknowledged the last response it was sent.
    public var isInSync: Bool { sentNonce != nil && ackedNonce == sentNonce }
}
