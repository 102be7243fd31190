internal import CGRPCShim
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The batch kinds of CGRPCShim.h (`CGRPCShim_KIND_*`), one tag per kind per call.
enum CompletionKind: Int32 {
    case accept = 1
    case start = 2
    case receive = 3
    case send = 4
    case closeSend = 5
    case sendStatus = 6
    case end = 7
    case serverShutdown = 8
}

/// One gRPC completion queue and the dedicated thread that drains it.
///
/// The thread blocks in `grpc_completion_queue_next` (never on the Swift cooperative pool) and hands
/// each completion to its owner: the owner pointer of a batch is an `Unmanaged` reference retained
/// when the batch started, balanced here with `takeRetainedValue()`. Completion handlers only
/// update state, yield to `AsyncStream`s and resume continuations: they never block.
///
/// Release path: `shutdown()` — shut the queue down, wait for the thread to see the shutdown event
/// (after every pending tag has completed), join it, destroy the queue. Client queues are never
/// shut down (they live as long as the process).
final class CompletionQueue: Sendable {
    /// `grpc_completion_queue*`; safe to use from any thread by gRPC's contract.
    nonisolated(unsafe) let handle: OpaquePointer
    let name: String

    private struct State {
        var thread: pthread_t?
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
        var shutDown = false
    }

    private let state = Mutex(State())

    init(name: String) {
        GRPCRuntime.initialize()
        self.handle = CGRPCShim_cq_create()
        self.name = name
        startThread()
    }

    private func startThread() {
        var thread = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let result = pthread_create(&thread, nil, { context in
            let queue = Unmanaged<CompletionQueue>.fromOpaque(context!).takeRetainedValue()
            queue.drain()
            return nil
        }, context)
        precondition(result == 0, "pthread_create failed: \(result)")
        state.withLock { $0.thread = thread }
    }

    /// The thread body: dispatch completions until the queue is shut down and empty.
    private func drain() {
        CGRPCShim_set_thread_name(name)
        while true {
            let event = CGRPCShim_next(handle)
            if event.type == CGRPCShim_EVENT_SHUTDOWN { break }
            guard event.type == CGRPCShim_EVENT_COMPLETE, let owner = event.owner else { continue }
            Self.dispatch(kind: event.kind, success: event.success != 0, owner: owner)
        }
        let waiters = state.withLock { state in
            state.exited = true
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private static func dispatch(kind rawKind: Int32, success: Bool, owner: UnsafeMutableRawPointer) {
        guard let kind = CompletionKind(rawValue: rawKind) else {
            preconditionFailure("unknown completion kind \(rawKind)")
        }
        switch kind {
        case .serverShutdown:
            Unmanaged<TransportServer>.fromOpaque(owner).takeRetainedValue().shutdownNotified()
        default:
            Unmanaged<CallCore>.fromOpaque(owner).takeRetainedValue().complete(kind, success: success)
        }
    }

    /// Shuts the queue down and returns once its thread has drained every pending tag and exited.
    /// Call at most once, and only when nothing will start new batches on this queue.
    func shutdown() async {
        let first = state.withLock { state in
            defer { state.shutDown = true }
            return !state.shutDown
        }
        guard first else { return }
        CGRPCShim_cq_shutdown(handle)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = state.withLock { state in
                if !state.exited { state.exitWaiters.append(continuation) }
                return state.exited
            }
            if exited { continuation.resume() }
        }
        // The thread has left its loop, so joining does not block for long.
        if let thread = state.withLock({ $0.thread }) { pthread_join(thread, nil) }
        CGRPCShim_cq_destroy(handle)
    }
}
