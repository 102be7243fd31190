/// A resource's version is a hash of its encoded bytes, so it is stable across restarts and equal
/// bytes always carry equal versions. Delta clients send these back in `initial_resource_versions`
/// after a reconnect, and nothing is re-sent that they already hold.
enum ResourceVersioning {
    /// FNV-1a, 64 bits, as 16 lower-case hex digits.
    static func version(of bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
