/// Why bytes could not be decoded into an XDSModel value. Bad input is data, never a crash: every
/// decoder in this module throws this instead of trapping.
public struct WireError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it was.
    package struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        package let rawValue: String
        package init(rawValue: String) { self.rawValue = rawValue }
        /// Not a valid protobuf encoding of the expected message (truncated, bad varint, bad
        /// UTF-8 in a string, nesting too deep, a required sub-message missing).
        package static let malformed = Code(rawValue: "malformed")
        /// A `google.protobuf.Any` carried a different type than the one asked for.
        package static let unexpectedType = Code(rawValue: "unexpectedType")
        /// Valid protobuf, but a value the model cannot represent (an enum value or an address
        /// kind this emulator does not model).
        package static let unsupported = Code(rawValue: "unsupported")
        package var description: String { rawValue }
    }

    package var code: Code
    /// One line naming what was wrong (message and field).
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "WireError.\(code): \(message)" }

    static func malformed(_ message: String) -> WireError { WireError(.malformed, message) }
    static func unsupported(_ message: String) -> WireError { WireError(.unsupported, message) }
}
