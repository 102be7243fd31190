import XDSModel

/// A value with a protobuf wire form: `wireBytes()` encodes it, `init(wireBytes:)` decodes it and
/// throws `WireError` on any input it cannot represent (it never traps on bad input).
///
/// Encoding is deterministic: the same value always gives the same bytes (map entries are sorted by
/// key), byte-identical to the official Python classes' `SerializeToString(deterministic=True)`.
/// Both directions are synchronous, thread-safe (no shared mutable state), allocate only for the
/// duration of the call, and never block.
package protocol WireMessage {
    init(wireBytes: [UInt8]) throws(WireError)
    func wireBytes() -> [UInt8]
}

/// A message that travels as an xDS resource inside `google.protobuf.Any`.
package protocol WireResource: WireMessage {
    /// `type.googleapis.com/<full message name>`.
    static var wireTypeURL: TypeURL { get }
}

extension Cluster: WireResource {
    package static var wireTypeURL: TypeURL { .cluster }
}

extension ClusterLoadAssignment: WireResource {
    package static var wireTypeURL: TypeURL { .endpoint }
}

extension Listener: WireResource {
    package static var wireTypeURL: TypeURL { .listener }
}

extension RouteConfiguration: WireResource {
    package static var wireTypeURL: TypeURL { .route }
}

extension AnyMessage {
    /// Packs a resource: encodes it once; the bytes can then be shared by every response.
    package init<M: WireResource>(packing message: M) {
        self.init(typeURL: M.wireTypeURL.rawValue, value: message.wireBytes())
    }

    /// Unpacks a resource, checking the type URL first.
    package func unpack<M: WireResource>(_ type: M.Type) throws(WireError) -> M {
        guard typeURL == M.wireTypeURL.rawValue else {
            throw WireError(.unexpectedType, "Any holds \(typeURL), expected \(M.wireTypeURL.rawValue)")
        }
        return try M(wireBytes: value)
    }
}

extension XDSResource {
    /// The resource message's bytes (the future `Any.value`); what `PushCodec.encodeResource`
    /// needs. Call once per resource version and share the result.
    public func wireBytes() -> [UInt8] {
        switch self {
        case .cluster(let c): c.wireBytes()
        case .endpoint(let e): e.wireBytes()
        case .listener(let l): l.wireBytes()
        case .route(let r): r.wireBytes()
        }
    }

    /// The resource serialised once, ready to be fanned out to every stream that watches it.
    package func encoded(version: ResourceVersion) -> EncodedResource {
        EncodedResource(name: name, version: version, typeURL: typeURL, bytes: wireBytes())
    }

    /// Decodes an `Any` carrying a served resource (Cluster, ClusterLoadAssignment, Listener, RouteConfiguration).
    package init(unpacking any: AnyMessage) throws(WireError) {
        switch TypeURL(any.typeURL) {
        case .cluster: self = .cluster(try Cluster(wireBytes: any.value))
        case .endpoint: self = .endpoint(try ClusterLoadAssignment(wireBytes: any.value))
        case .listener: self = .listener(try Listener(wireBytes: any.value))
        case .route: self = .route(try RouteConfiguration(wireBytes: any.value))
        default: throw WireError(.unexpectedType, "Any holds \(any.typeURL), not a served resource type")
        }
    }
}

extension EncodedResource {
    /// The `Any` this resource travels in; the bytes are shared, not re-encoded.
    package var anyMessage: AnyMessage { AnyMessage(typeURL: typeURL.rawValue, value: bytes) }
}
