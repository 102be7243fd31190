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
    let incomingContinuation: AsyncStream<[UInt8]>.Continuation

    struct PendingSend {
        let payload: Payload
        let onWritten: (@Sendable (Bool) -> Void)?
    }

    struct State {
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

    let state = Mutex(State())

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
    func startLocked(_ state: inout State, _ start: (OpaquePointer) -> Int32) -> Bool {
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
    func releaseIfDoneLocked(_ state: inout State) {
        guard state.ended != nil, state.batchesInFlight == 0, !state.released else { return }
        state.released = true
        CGRPCShim_call_release(handle)
    }

    /// Starts the next send, or the deferred status / half-close once the queue is empty.
    /// Returns the callbacks of sends that can no longer happen (run them outside the lock).
    func pumpLocked(_ state: inout State) -> [PendingSend] {
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

    static func fail(_ sends: [PendingSend]) {
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
