/// One bidi-streaming call, either end: ``ServerCall`` (accepted by ``TransportServer``) or
/// ``ClientCall`` (opened with ``ClientChannel/makeCall(method:deadline:waitForReady:)``).
///
/// Both ends share one engine (`CallCore`) and this one surface: ``messages`` in, ordered
/// non-blocking sends out (one SEND_MESSAGE in flight, the rest queued in order), ``cancel()``.
/// What only one end can do lives in `ServerCall.swift` and `ClientCall.swift`, as extensions
/// constrained to its ``CallSide``.
///
/// Threading: every method may be called from any thread or task and never blocks; callbacks run
/// on a completion-queue thread (the server's call queue, or a client queue) and must not block.
/// Dropping the last reference to a call that has not ended (nor, on a server, finished) cancels it.
public final class StreamingCall<Side: CallSide>: Sendable {
    let core: CallCore
    /// The method path, e.g. `/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources`.
    package let method: String
    /// What this end knows beyond the engine (the server's peer, the client's channel).
    let side: Side

    init(core: CallCore, method: String, side: Side) {
        self.core = core
        self.method = method
        self.side = side
    }

    deinit { core.abandon() }

    /// Incoming messages, in order. Single consumer. Ends on a server when the client half-closes,
    /// cancels or disconnects; on a client when the server sends its status or the call fails.
    public var messages: AsyncStream<[UInt8]> { core.incoming }

    /// Queues `payload` for sending without waiting. `onWritten` (optional) runs on a
    /// completion-queue thread with `true` once gRPC took the message, `false` if the call ended
    /// first. Returns false (and has called `onWritten(false)`) when the call can no longer send:
    /// ended, finishing (server) or half-closed (client).
    @discardableResult
    public func send(_ payload: Payload, onWritten: (@Sendable (Bool) -> Void)? = nil) -> Bool {
        core.enqueue(payload, onWritten: onWritten)
    }

    /// Copies `bytes` into a new ``Payload`` and queues it.
    @discardableResult
    package func send(_ bytes: [UInt8], onWritten: (@Sendable (Bool) -> Void)? = nil) -> Bool {
        core.enqueue(Payload(bytes), onWritten: onWritten)
    }

    /// Queues `payload` and returns once it was written (`true`) or the call ended (`false`).
    package func write(_ payload: Payload) async -> Bool {
        await withCheckedContinuation { continuation in
            core.enqueue(payload) { continuation.resume(returning: $0) }
        }
    }

    /// Messages queued or in flight: what a push core reads for flow control.
    package var pendingSendCount: Int { core.pendingSendCount }

    /// Cancels the call: a server's peer sees CANCELLED; a client's ``ClientCall/status`` becomes
    /// CANCELLED.
    public func cancel() { core.cancel() }

    /// Cancels the call with a status for the peer: a stream whose peer stopped reading cannot
    /// take a status sent after its queued messages, but a cancellation (RST_STREAM) needs no window.
    package func cancel(_ code: StatusCode, message: String) { core.cancel(CallStatus(code: code, message: message)) }
}

/// Which end of a call a ``StreamingCall`` is, and what that end knows.
public protocol CallSide: Sendable {}
