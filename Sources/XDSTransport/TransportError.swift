/// A transport failure with a code and a one-line message.
///
/// Statuses a peer sends are not errors here: they arrive as ``CallStatus`` values. This type is for
/// what the local transport could not do (bind a port, create a channel, start a call).
public struct TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    package struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String
        /// The server could not bind its address (in use, bad address).
        package static let bindFailed = Code(name: "bindFailed")
        /// gRPC refused to create a channel for the target.
        package static let channelFailed = Code(name: "channelFailed")
        /// gRPC refused to create or start a call.
        package static let callFailed = Code(name: "callFailed")
        package var description: String { name }
    }

    package let code: Code
    package let message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
