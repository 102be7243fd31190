/// One client bidi-streaming call, opened with ``ClientChannel/makeCall(method:deadline:waitForReady:)``.
///
/// Same shape as ``ServerCall``: ``messages`` in, ordered non-blocking sends out, then
/// ``closeSend()`` (half-close) or ``cancel()``; the final status is awaited with ``status``.
/// Connection failures end the call with UNAVAILABLE (unless `waitForReady`), never a hang.
///
/// Threading: every method may be called from any thread or task and never blocks; callbacks run on
/// a client completion-queue thread and must not block. Dropping the last reference to a call that
/// has not ended cancels it.
public final class ClientCall: Sendable {
    let core: CallCore
    public let channel: ClientChannel
    public let method: String

    init(core: CallCore, channel: ClientChannel, method: String) {
        self.core = core
        self.channel = channel
        self.method = method
    }

    deinit { core.abandon() }

    /// Incoming messages, in order. Ends when the server sends its status or the call fails.
    /// Single consumer.
    public var messages: AsyncStream<[UInt8]> { core.incoming }

    /// Queues `payload` without waiting; see ``ServerCall/send(_:onWritten:)``. Refused after
    /// ``closeSend()`` or once the call ended.
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

    /// Messages queued or in flight.
    public var pendingSendCount: Int { core.pendingSendCount }

    /// Half-closes after the queued messages (SEND_CLOSE_FROM_CLIENT); receiving continues.
    public func closeSend() { core.closeSend() }

    /// Cancels the call; ``status`` becomes CANCELLED.
    public func cancel() { core.cancel() }

    /// The final status, once the call has ended (RECV_STATUS_ON_CLIENT completed).
    public var status: CallStatus {
        get async { await core.waitForEnd() }
    }
}
