import Synchronization
internal import CGRPCShim

/// Completions, on the owning completion-queue thread: each balances the batch it ends, then
/// releases the `grpc_call` once nothing can touch it any more.
extension CallCore {
    func complete(_ kind: CompletionKind, success: Bool) {
        switch kind {
        case .accept:
            state.withLock { state in
                state.batchesInFlight -= 1
                if !success {
                    // The request was failed by server shutdown: there never was a call.
                    state.ended = CallStatus(code: .unavailable, message: "server shutting down")
                    releaseIfDoneLocked(&state)
                }
            }
            if !success { incomingContinuation.finish() }
            server?.accepted(self, success: success)

        case .receive:
            receiveCompleted(success: success)

        case .send:
            let (written, failed) = state.withLock { state -> (PendingSend?, [PendingSend]) in
                state.batchesInFlight -= 1
                let written = state.sending
                state.sending = nil
                let failed = pumpLocked(&state)
                releaseIfDoneLocked(&state)
                return (written, failed)
            }
            written?.onWritten?(success)
            Self.fail(failed)

        case .start, .closeSend, .sendStatus:
            state.withLock { state in
                state.batchesInFlight -= 1
                releaseIfDoneLocked(&state)
            }

        case .end:
            endCompleted()

        case .serverShutdown:
            preconditionFailure("server shutdown routed to a call")
        }
    }

    private func receiveCompleted(success: Bool) {
        // Copy outside the lock: only this (single) receive touches the receive slot, and the batch
        // still counts as in flight so the call cannot be released underneath.
        var message: [UInt8]?
        if success {
            let length = Int(CGRPCShim_call_message_length(handle))
            if length >= 0 {
                message = [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
                    CGRPCShim_call_take_message(handle, buffer.baseAddress)
                    initialized = length
                }
            }
        }
        if let message { incomingContinuation.yield(message) }
        let reading = state.withLock { state -> Bool in
            state.batchesInFlight -= 1
            var reading = false
            // After END the server stops reading: nothing useful can arrive, and the server may be
            // about to shut its call queue down (no batch may start on a queue after that).
            if message != nil, !state.released, side == .client || state.ended == nil {
                reading = startLocked(&state) { CGRPCShim_call_recv_message($0) }
            }
            releaseIfDoneLocked(&state)
            return reading
        }
        if !reading { incomingContinuation.finish() }
    }

    private func endCompleted() {
        let (status, waiters, failed) = state.withLock { state in
            state.batchesInFlight -= 1
            let status: CallStatus
            switch side {
            case .server:
                if CGRPCShim_call_cancelled(handle) != 0 {
                    status = CallStatus(code: .cancelled, message: "call cancelled")
                } else {
                    status = state.finishRequested ?? CallStatus(code: .ok)
                }
            case .client:
                var length = 0
                let pointer = CGRPCShim_call_status_details(handle, &length)
                let message = pointer.map {
                    String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self)
                } ?? ""
                status = CallStatus(code: StatusCode(rawValue: CGRPCShim_call_status_code(handle)),
                                    message: message)
            }
            state.ended = status
            let waiters = state.endWaiters
            state.endWaiters = []
            let failed = state.queue.removeAll()
            releaseIfDoneLocked(&state)
            return (status, waiters, failed)
        }
        Self.fail(failed)
        // Server: the client cancelled or went away, so nothing more will arrive; on a client the
        // receive loop ends the stream itself after the last message.
        if side == .server, status.code == .cancelled { incomingContinuation.finish() }
        server?.callEnded(self)
        for waiter in waiters { waiter.resume(returning: status) }
    }
}
