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
        var i = 0
        while i < bytes.count {
            guard let key = Self.varint(bytes, &i) else { return nil }
            let field = key >> 3
            switch key & 7 {
            case 0: guard Self.varint(bytes, &i) != nil else { return nil }
            case 1: i += 8
            case 5: i += 4
            case 2:
                guard let length = Self.varint(bytes, &i), length <= UInt64(bytes.count - i) else { return nil }
                let end = i + Int(length)
                switch field {
                case 1: versionInfo = String(decoding: bytes[i..<end], as: UTF8.self)
                case 2: resourceCount += 1
                case 4: typeURL = String(decoding: bytes[i..<end], as: UTF8.self)
                case 5: nonce = String(decoding: bytes[i..<end], as: UTF8.self)
                default: break
                }
                i = end
            default: return nil
            }
        }
        guard i == bytes.count else { return nil }
    }

    static func varint(_ bytes: [UInt8], _ i: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while i < bytes.count, shift < 64 {
            let byte = bytes[i]
            i += 1
            value |= UInt64(byte & 0x7f) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
