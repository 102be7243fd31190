/// One accepted bidi-streaming call, as handed out by ``TransportServer/calls``.
///
/// Receive with ``messages``; send with ``send(_:onWritten:)`` or ``write(_:)`` (one SEND_MESSAGE
/// in flight, the rest queued in order); end with ``finish(_:message:)``. The call ends when the
/// status has gone out or the client cancels or disconnects; then gRPC's resources for it are freed
/// even if this object is still held.
///
/// Threading: every method may be called from any thread or task and never blocks; callbacks run
/// on the server's call-queue thread and must not block. Dropping the last reference to a call
/// that was not finished cancels it.
public final class ServerCall: Sendable {
    let core: CallCore
    /// The method path, e.g. `/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources`.
    public let method: String
    /// The client's address as gRPC reports it, e.g. `ipv4:127.0.0.1:53422`.
    public let peer: String

    init(core: CallCore, method: String, peer: String) {
        self.core = core
        self.method = method
        self.peer = peer
    }

    deinit { core.abandon() }

    /// Incoming messages, in order. Ends when the client half-closes, cancels or disconnects.
    /// Single consumer.
    public var messages: AsyncStream<[UInt8]> { core.incoming }

    /// Queues `payload` for sending without waiting. `onWritten` (optional) runs on the call-queue
    /// thread with `true` once gRPC took the message, `false` if the call ended first. Returns false
    /// (and has called `onWritten(false)`) when the call is finishing or has ended.
    @discardableResult
    public func send(_ payload: Payload, onWritten: (@Sendable (Bool) -> Void)? = nil) -> Bool {
        core.enqueue(payload, onWritten: onWritten)
    }

    /// Copies `bytes` into a new ``Payload`` and queues it.
    @discardableResult
    public func send(_ bytes: [UInt8], onWritten: (@Sendable (Bool) -> Void)? = nil) -> Bool {
        core.enqueue(Payload(bytes), onWritten: onWritten)
    }

    /// Queues `payload` and returns once it was written (`true`) or the call ended (`false`).
    public func write(_ payload: Payload) async -> Bool {
        await withCheckedContinuation { continuation in
            core.enqueue(payload) { continuation.resume(returning: $0) }
        }
    }

    /// Messages queued or in flight: what a push core reads for flow control.
    public var pendingSendCount: Int { core.pendingSendCount }

    /// Sends the status after the queued messages (SEND_STATUS_FROM_SERVER), ending the call.
    /// Later sends are refused; repeated calls are ignored.
    public func finish(_ code: StatusCode = .ok, message: String = "") {
        core.finish(CallStatus(code: code, message: message))
    }

    /// Cancels the call (the client sees CANCELLED).
    public func cancel() { core.cancel() }

    /// Whether the call ended by cancellation (client cancel or disconnect, server cancel or stop).
    /// `false` while the call is open.
    public var isCancelled: Bool { core.endStatus?.code == .cancelled }

    /// Waits until the call has ended and returns how: the status sent, or `CANCELLED` when the
    /// client cancelled or went away.
    public func waitForEnd() async -> CallStatus { await core.waitForEnd() }
}
