import XDSWire

/// The few top-level fields of a `DiscoveryResponse` a proxy needs to ACK it (`version_info`,
/// `type_url`, `nonce`), read without decoding the resources: length-delimited fields are skipped,
/// so the cost is per field, not per byte. A simulated proxy scans every response it receives and
/// fully decodes only the distinct payloads it has not seen (see `ClusterNameCache`).
public struct ResponseScan: Sendable, Equatable {
    public var versionInfo = ""
    public var typeURL = ""
    public var nonce = ""
    public var resourceCount = 0

    public init?(_ bytes: [UInt8]) {
        var cursor = WireCursor(bytes)
        while cursor.position < bytes.count {
            guard let field = cursor.nextField(before: bytes.count) else { return nil }
            guard let payload = field.payload else { continue }
            switch field.number {
            case 1: versionInfo = String(decoding: bytes[payload], as: UTF8.self)
            case 2: resourceCount += 1
            case 4: typeURL = String(decoding: bytes[payload], as: UTF8.self)
            case 5: nonce = String(decoding: bytes[payload], as: UTF8.self)
            default: break
            }
            cursor.position = payload.upperBound
        }
        guard cursor.position == bytes.count else { return nil }
    }
}
