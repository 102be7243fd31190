import Synchronization
internal import CGRPCShim

/// The calls' own operations: queueing sends, finishing, half-closing, cancelling, waiting for
/// the end. Each decides under the lock and runs callbacks outside it.
extension CallCore {
    /// The method path and peer, read once right after accept (server side).
    func acceptedCallInfo() -> (method: String, peer: String) {
        state.withLock { _ in
            var length = 0
            let pointer = CGRPCShim_call_method(handle, &length)
            let method = pointer.map {
                String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self)
            } ?? ""
            return (method, peerLocked())
        }
    }

    private func peerLocked() -> String {
        guard let raw = CGRPCShim_call_peer(handle) else { return "" }
        defer { CGRPCShim_free(raw) }
        return String(cString: raw)
    }

    /// Queues `payload`; at most one SEND_MESSAGE is in flight, the rest go out in order.
    /// `onWritten` runs on a completion-queue thread (or inline when the call has already ended)
    /// with `true` once gRPC has taken the message for writing. Returns false if the call can no
    /// longer send (ended, finishing, half-closed); `onWritten(false)` has then run.
    @discardableResult
    func enqueue(_ payload: Payload, onWritten: (@Sendable (Bool) -> Void)?) -> Bool {
        let send = PendingSend(payload: payload, onWritten: onWritten)
        let (accepted, failed) = state.withLock { state -> (Bool, [PendingSend]) in
            guard state.ended == nil, state.finishRequested == nil, !state.closeSendRequested else {
                return (false, [send])
            }
            state.queue.append(send)
            return (true, pumpLocked(&state))
        }
        Self.fail(failed)
        return accepted
    }

    /// Sends + in flight.
    var pendingSendCount: Int {
        state.withLock { $0.queue.count + ($0.sending == nil ? 0 : 1) }
    }

    /// Server: send `status` after the queued messages. Later calls are ignored.
    func finish(_ status: CallStatus) {
        let failed = state.withLock { state -> [PendingSend] in
            guard side == .server, state.finishRequested == nil, state.ended == nil else { return [] }
            state.finishRequested = status
            return pumpLocked(&state)
        }
        Self.fail(failed)
    }

    /// Client: half-close after the queued messages.
    func closeSend() {
        let failed = state.withLock { state -> [PendingSend] in
            guard state.closeSendRequested == false, state.ended == nil else { return [] }
            state.closeSendRequested = true
            return pumpLocked(&state)
        }
        Self.fail(failed)
    }

    /// Cancels the call (RST_STREAM); the END batch then completes and everything is freed.
    /// With a status, the peer sees it instead of CANCELLED.
    func cancel(_ status: CallStatus? = nil) {
        state.withLock { state in
            guard !state.released, state.ended == nil else { return }
            state.cancelled = true
            if let status {
                CGRPCShim_call_cancel_with_status(handle, status.code.rawValue, status.message)
            } else {
                CGRPCShim_call_cancel(handle)
            }
        }
    }

    /// Server: a call accepted while the server stops; cancel it and drop it without starting
    /// any batch.
    func discard() {
        state.withLock { state in
            guard state.ended == nil else { return }
            state.cancelled = true
            CGRPCShim_call_cancel(handle)
            state.ended = CallStatus(code: .cancelled, message: "server stopping")
            releaseIfDoneLocked(&state)
        }
        incomingContinuation.finish()
    }

    /// The public handle went away: cancel unless the call already ended or (server) a status is
    /// on its way.
    func abandon() {
        state.withLock { state in
            guard !state.released, state.ended == nil, state.finishRequested == nil else { return }
            state.cancelled = true
            CGRPCShim_call_cancel(handle)
        }
    }

    var endStatus: CallStatus? { state.withLock { $0.ended } }

    /// Waits for the END batch: the client's received status, or on the server the status sent
    /// (`CANCELLED` when the client cancelled or went away).
    func waitForEnd() async -> CallStatus {
        await withCheckedContinuation { (continuation: CheckedContinuation<CallStatus, Never>) in
            let ended = state.withLock { state -> CallStatus? in
                if state.ended == nil { state.endWaiters.append(continuation) }
                return state.ended
            }
            if let ended { continuation.resume(returning: ended) }
        }
    }
}
