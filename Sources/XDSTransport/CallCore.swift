internal import CGRPCShim
import Synchronization

/// The engine shared by ``ServerCall`` and ``ClientCall``: one gRPC call, its ordered send queue,
/// its receive loop and how it ended.
///
/// Ownership: owns one `CGRPCShim_call` (and through it one `grpc_call` ref). Every batch started
/// retains this object once (its tag's owner) and the completion-queue thread balances it, so the
/// storage outlives every op that points into it. Two release steps, one path:
/// - when the call has ended and no batch is in flight, `CGRPCShim_call_release` drops the
///   `grpc_call` ref, so gRPC frees the call even while a Swift handle is still held;
/// - `deinit` frees the storage (`CGRPCShim_call_destroy`).
///
/// Threading: every C call on this call's storage happens under `state`'s lock (send order,
/// batch counting and release are decided there); `complete(_:success:)` runs on the owning
/// completion-queue thread. Starting a batch never runs a completion inline, so holding the lock
/// across `grpc_call_start_batch` cannot deadlock.
final class CallCore: Sendable {
    enum Side { case server, client }

    /// `CGRPCShim_call*`; guarded by `state`'s lock (see the type's doc).
    nonisolated(unsafe) let handle: OpaquePointer
    let side: Side
    /// Server side: the server told about accepts and ends.
    let server: TransportServer?

    let incoming: AsyncStream<[UInt8]>
    private let incomingContinuation: AsyncStream<[UInt8]>.Continuation

    struct PendingSend {
        let payload: Payload
        let onWritten: (@Sendable (Bool) -> Void)?
    }

    private struct State {
        var queue = SendQueue<PendingSend>()
        var sending: PendingSend?
        /// Server: the status to send once the queue drains.
        var finishRequested: CallStatus?
        var finishStarted = false
        /// Client: half-close once the queue drains.
        var closeSendRequested = false
        var closeSendStarted = false
        /// The END batch (RECV_CLOSE_ON_SERVER / RECV_STATUS_ON_CLIENT) completed.
        var ended: CallStatus?
        var endWaiters: [CheckedContinuation<CallStatus, Never>] = []
        var batchesInFlight = 0
        var released = false
        var cancelled = false
    }

    private let state = Mutex(State())

    init(side: Side, server: TransportServer?) {
        self.side = side
        self.server = server
        self.handle = CGRPCShim_call_create(nil)
        (incoming, incomingContinuation) = AsyncStream.makeStream(of: [UInt8].self)
        CGRPCShim_call_set_owner(handle, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        incomingContinuation.finish()
        CGRPCShim_call_destroy(handle)
    }

    // MARK: Starting batches (always under the lock)

    /// Starts one batch: retains `self` for its tag; on a start error nothing is in flight.
    private func startLocked(_ state: inout State, _ start: (OpaquePointer) -> Int32) -> Bool {
        precondition(!state.released, "batch started after the call was released")
        let retained = Unmanaged.passRetained(self)
        guard start(handle) == 0 else {
            retained.release()
            return false
        }
        state.batchesInFlight += 1
        return true
    }

    /// Drops the grpc_call once nothing can touch it any more.
    private func releaseIfDoneLocked(_ state: inout State) {
        guard state.ended != nil, state.batchesInFlight == 0, !state.released else { return }
        state.released = true
        CGRPCShim_call_release(handle)
    }

    /// Starts the next send, or the deferred status / half-close once the queue is empty.
    /// Returns the callbacks of sends that can no longer happen (run them outside the lock).
    private func pumpLocked(_ state: inout State) -> [PendingSend] {
        guard state.sending == nil, !state.released else { return [] }
        if state.ended != nil { return state.queue.removeAll() }
        if let next = state.queue.popFirst() {
            if startLocked(&state, { CGRPCShim_call_send_message($0, next.payload.handle) }) {
                state.sending = next
                return []
            }
            return [next] + state.queue.removeAll()
        }
        switch side {
        case .server:
            if let status = state.finishRequested, !state.finishStarted {
                state.finishStarted = true
                _ = startLocked(&state) { handle in
                    CGRPCShim_call_send_status(handle, status.code.rawValue, status.message)
                }
            }
        case .client:
            if state.closeSendRequested, !state.closeSendStarted {
                state.closeSendStarted = true
                _ = startLocked(&state) { CGRPCShim_call_close_send($0) }
            }
        }
        return []
    }

    private static func fail(_ sends: [PendingSend]) {
        for send in sends { send.onWritten?(false) }
    }

    // MARK: Opening

    /// Server, after a successful accept: post RECV_CLOSE_ON_SERVER up front, then
    /// [SEND_INITIAL_METADATA, RECV_MESSAGE].
    func beginServing() {
        let reading = state.withLock { state in
            _ = startLocked(&state) { CGRPCShim_call_recv_close($0) }
            return startLocked(&state) { CGRPCShim_call_start_server($0) }
        }
        if !reading { incomingContinuation.finish() }
    }

    /// Server: asks for the next call on `server` (kind ACCEPT on `notifyQueue`).
    func requestCall(server: OpaquePointer, callQueue: CompletionQueue, notifyQueue: CompletionQueue) -> Bool {
        // OpaquePointer is not Sendable; grpc_server and queues are thread-safe by gRPC's contract.
        let pointers = UnsafeHandles(server, callQueue.handle, notifyQueue.handle)
        return state.withLock { state in requestCallLocked(&state, pointers) }
    }

    private func requestCallLocked(_ state: inout State, _ pointers: UnsafeHandles) -> Bool {
        startLocked(&state) { handle in
            CGRPCShim_server_request_call(pointers.first, handle, pointers.second, pointers.third)
        }
    }

    /// Client: creates the call and posts RECV_STATUS_ON_CLIENT, [SEND_INITIAL_METADATA,
    /// RECV_INITIAL_METADATA] and the first RECV_MESSAGE.
    func openClient(channel: OpaquePointer, queue: CompletionQueue, method: String,
                    deadlineMilliseconds: Int64, waitForReady: Bool) throws(TransportError) {
        let pointers = UnsafeHandles(channel, queue.handle, nil)
        let opened = state.withLock { state in
            openClientLocked(&state, pointers, method: method, deadlineMilliseconds: deadlineMilliseconds,
                             waitForReady: waitForReady)
        }
        guard opened else {
            incomingContinuation.finish()
            state.withLock { state in
                state.ended = CallStatus(code: .internal, message: "call could not start")
                releaseIfDoneLocked(&state)
            }
            throw TransportError(.callFailed, "gRPC refused to start a call to \(method)")
        }
    }

    private func openClientLocked(_ state: inout State, _ pointers: UnsafeHandles, method: String,
                                  deadlineMilliseconds: Int64, waitForReady: Bool) -> Bool {
        guard CGRPCShim_call_create_client(handle, pointers.first, pointers.second, method,
                                           deadlineMilliseconds) == 0
        else { return false }
        guard startLocked(&state, { CGRPCShim_call_recv_status($0) }) else { return false }
        _ = startLocked(&state) { CGRPCShim_call_start_client($0, waitForReady ? 1 : 0) }
        if !startLocked(&state, { CGRPCShim_call_recv_message($0) }) { incomingContinuation.finish() }
        return true
    }

    // MARK: Public operations

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
    func cancel() {
        state.withLock { state in
            guard !state.released, state.ended == nil else { return }
            state.cancelled = true
            CGRPCShim_call_cancel(handle)
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

    // MARK: Completions (completion-queue thread)

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

/// gRPC handles carried into a lock's closure. `OpaquePointer` is not `Sendable`; the channel,
/// server and queue handles are thread-safe by gRPC's contract.
struct UnsafeHandles: @unchecked Sendable {
    let first: OpaquePointer
    let second: OpaquePointer
    let third: OpaquePointer?
    init(_ first: OpaquePointer, _ second: OpaquePointer, _ third: OpaquePointer?) {
        self.first = first
        self.second = second
        self.third = third
    }
}
