/// One client bidi-streaming call, opened with ``ClientChannel/makeCall(method:deadline:waitForReady:)``.
///
/// Same surface as ``ServerCall`` (``StreamingCall``), then ``closeSend()`` (half-close) or
/// ``StreamingCall/cancel()``; the final status is awaited with ``status``. Connection failures end
/// the call with UNAVAILABLE (unless `waitForReady`), never a hang. Sends are refused after
/// ``closeSend()``. Callbacks run on a client completion-queue thread.
public typealias ClientCall = StreamingCall<ClientSide>

/// The opening end of a call.
public struct ClientSide: CallSide {
    let channel: ClientChannel
}

extension StreamingCall where Side == ClientSide {
    /// The channel the call was opened on (kept alive by the call).
    package var channel: ClientChannel { side.channel }

    /// Half-closes after the queued messages (SEND_CLOSE_FROM_CLIENT); receiving continues.
    package func closeSend() { core.closeSend() }

    /// The final status, once the call has ended (RECV_STATUS_ON_CLIENT completed).
    package var status: CallStatus {
        get async { await core.waitForEnd() }
    }
}
