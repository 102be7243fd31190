internal import CGRPCShim
import Synchronization

/// Process-wide gRPC state: `grpc_init()` once, and the client completion queues.
///
/// gRPC is never shut down: the runtime lives as long as the process. Note that `fork()` after
/// `grpc_init()` crashes the child (docs/c-binding-notes.md); spawn children with posix_spawn
/// (Foundation's `Process` does) or before the first transport object is made.
enum GRPCRuntime {
    /// Runs `grpc_init()` the first time; thread-safe (Swift global initialisation is `once`).
    static func initialize() { _ = initialized }

    private static let initialized: Bool = {
        CGRPCShim_init()
        return true
    }()

    /// Completion queues shared by every client call in the process, each drained by one dedicated
    /// thread: thousands of channels cost no threads. Two, for the two cores we measure on.
    static let clientQueues: [CompletionQueue] = {
        initialize()
        return (0..<2).map { CompletionQueue(name: "xds-client-\($0)") }
    }()

    private static let nextQueue = Atomic<Int>(0)

    /// Round-robin choice of a client queue.
    static func clientQueue() -> CompletionQueue {
        let index = nextQueue.add(1, ordering: .relaxed).oldValue
        return clientQueues[index % clientQueues.count]
    }
}
