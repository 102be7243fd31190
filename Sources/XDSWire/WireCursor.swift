/// A cursor over protobuf wire-format bytes that reads field keys and varints and steps over field
/// values without decoding them: how `NestingLimit` walks input before protobuf-c sees it, and how
/// the bench's simulated proxies read the few fields they need from a response.
///
/// Never reads a byte at or past the `limit` it is given. Fixed-size values (wire types 1 and 5)
/// are stepped over without a bounds check, so callers compare ``position`` with their limit.
public struct WireCursor<Bytes: RandomAccessCollection<UInt8>> where Bytes.Index == Int {
    public let bytes: Bytes
    /// The index of the next byte to read.
    public var position: Int

    @inlinable
    public init(_ bytes: Bytes, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// A field's number and, when it is length-delimited (wire type 2), the range of its payload.
    public struct Field {
        public let number: UInt64
        public let payload: Range<Int>?

        @inlinable
        public init(number: UInt64, payload: Range<Int>?) {
            self.number = number
            self.payload = payload
        }
    }

    /// Reads the next field's key and steps over its value, except a length-delimited payload:
    /// there the cursor stays at the payload's start (descend into it, or set ``position`` to its
    /// upper bound). Nil for a truncated key, varint or length, and for groups and invalid wire
    /// types.
    @inlinable
    public mutating func nextField(before limit: Int) -> Field? {
        guard let key = varint(before: limit) else { return nil }
        switch key & 7 {
        case 0: guard varint(before: limit) != nil else { return nil }
        case 1: position += 8
        case 5: position += 4
        case 2:
            guard let length = varint(before: limit), length <= UInt64(limit - position) else { return nil }
            return Field(number: key >> 3, payload: position..<(position + Int(length)))
        default: return nil
        }
        return Field(number: key >> 3, payload: nil)
    }

    /// A varint that ends before `limit` (the end of the enclosing message), else nil.
    @inlinable
    public mutating func varint(before limit: Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < limit, shift < 64 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return value }
            shift += 7
        }
        return nil
    }
}
