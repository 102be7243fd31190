/// One accepted bidi-streaming call, as handed out by ``TransportServer/calls``.
///
/// Receive with ``StreamingCall/messages``; send with ``StreamingCall/send(_:onWritten:)`` or
/// ``StreamingCall/write(_:)``; end with ``finish(_:message:)``. The call ends when the status has
/// gone out or the client cancels or disconnects; then gRPC's resources for it are freed even if
/// this object is still held. Callbacks run on the server's call-queue thread.
public typealias ServerCall = StreamingCall<ServerSide>

/// The accepting end of a call.
public struct ServerSide: CallSide {
    let peer: String
}

extension StreamingCall where Side == ServerSide {
    /// The client's address as gRPC reports it, e.g. `ipv4:127.0.0.1:53422`.
    package var peer: String { side.peer }

    /// Sends the status after the queued messages (SEND_STATUS_FROM_SERVER), ending the call.
    /// Later sends are refused; repeated calls are ignored.
    public func finish(_ code: StatusCode = .ok, message: String = "") {
        core.finish(CallStatus(code: code, message: message))
    }

    /// Whether the call ended by cancellation (client cancel or disconnect, server cancel or stop).
    /// `false` while the call is open.
    package var isCancelled: Bool { core.endStatus?.code == .cancelled }

    /// Waits until the call has ended and returns how: the status sent, or `CANCELLED` when the
    /// client cancelled or went away.
    package func waitForEnd() async -> CallStatus { await core.waitForEnd() }
}
