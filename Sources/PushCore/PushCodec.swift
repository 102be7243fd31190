import XDSModel

/// How the push core turns values into bytes. Injected so the core stays pure Swift: the server
/// passes the protobuf-c encoders and wraps response bytes in the transport's shared payload; tests
/// pass plain byte arrays and count calls.
public struct PushCodec<Payload: Sendable>: Sendable {
    /// Serialises one resource (called once per changed resource).
    package var encodeResource: @Sendable (XDSResource) -> [UInt8]
    /// Serialises one state-of-the-world response (called once per distinct response).
    package var encodeResponse: @Sendable (DiscoveryResponse) -> Payload
    /// Serialises one delta response (called once per distinct response).
    package var encodeDeltaResponse: @Sendable (DeltaDiscoveryResponse) -> Payload

    public init(
        encodeResource: @escaping @Sendable (XDSResource) -> [UInt8],
        encodeResponse: @escaping @Sendable (DiscoveryResponse) -> Payload,
        encodeDeltaResponse: @escaping @Sendable (DeltaDiscoveryResponse) -> Payload
    ) {
        self.encodeResource = encodeResource
        self.encodeResponse = encodeResponse
        self.encodeDeltaResponse = encodeDeltaResponse
    }
}

/// One message to write to one stream. Streams that get the same response share one payload.
public struct Dispatch<Payload: Sendable>: Sendable {
    public let stream: StreamID
    package let typeURL: TypeURL
    package let nonce: Nonce
    package let payload: Payload
}

/// What the core made of one request.
public struct Reception<Payload: Sendable>: Sendable {
    package let decision: RequestDecision
    public let dispatches: [Dispatch<Payload>]
    /// The empty answer to a type the core does not serve: sent on the request's stream as is,
    /// outside the push queue, since the core keeps nothing for such a type (not even the send).
    package var reply: Payload? = nil

    static var ignored: Reception { Reception(decision: .none, dispatches: []) }
}

/// What the core knows about one connected stream: who it is and where each type stands.
/// `istioctl proxy-status` and `istioctl version` are built from this.
public struct ConnectionStatus: Sendable, Equatable {
    package let stream: StreamID
    package let kind: StreamKind
    package let node: Node?
    public let watches: [TypeURL: Watch]
}
