import Synchronization
import PushCore
import XDSTransport

/// The open calls by stream ID: what a dispatch from the push core is written to.
final class StreamTable: Sendable {
    private struct State {
        var next: UInt64 = 1
        var calls: [StreamID: ServerCall] = [:]
    }
    private let state = Mutex(State())

    func add(_ call: ServerCall) -> StreamID {
        state.withLock { s in
            let id = StreamID(s.next)
            s.next += 1
            s.calls[id] = call
            return id
        }
    }

    func remove(_ id: StreamID) { _ = state.withLock { $0.calls.removeValue(forKey: id) } }

    func call(_ id: StreamID) -> ServerCall? { state.withLock { $0.calls[id] } }
}
