import Synchronization

/// Tasks waiting for a condition on some changing state (a proxy's snapshot, the running istiods)
/// to hold. The owner of the state calls `changed` with the new value after every change; a waiter
/// is resumed once, with `true` when its condition held or `false` when its timeout passed.
///
/// Conditions run under this object's lock, never under the owner's: they must be quick, pure
/// functions of the value. No wake-up is lost between a waiter's first check and a change: a
/// waiter is registered before it looks at the current value.
package final class ConditionWaiters<Value: Sendable>: Sendable {
    private struct Waiter {
        let condition: @Sendable (Value) -> Bool
        let continuation: CheckedContinuation<Bool, Never>
    }

    private struct State {
        var waiters: [UInt64: Waiter] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    package init() {}

    /// Whether anybody waits: lets the owner skip building a value nobody will look at.
    package var isEmpty: Bool { state.withLock { $0.waiters.isEmpty } }

    /// Waits until `condition(current())` holds, checked now and after every `changed`, or until
    /// `timeout` passes. Returns whether it held.
    package func wait(
        timeout: Duration, current: @Sendable () -> Value, until condition: @escaping @Sendable (Value) -> Bool
    ) async -> Bool {
        await withCheckedContinuation { continuation in
            let id = state.withLock { s in
                defer { s.nextID += 1 }
                s.waiters[s.nextID] = Waiter(condition: condition, continuation: continuation)
                return s.nextID
            }
            if condition(current()) {
                take(id)?.continuation.resume(returning: true)
                return
            }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                take(id)?.continuation.resume(returning: false)
            }
        }
    }

    /// Resumes every waiter whose condition holds for `value`.
    package func changed(_ value: Value) {
        let ready = state.withLock { s -> [Waiter] in
            var ready: [Waiter] = []
            for (id, waiter) in s.waiters where waiter.condition(value) {
                ready.append(waiter)
                s.waiters[id] = nil
            }
            return ready
        }
        for waiter in ready { waiter.continuation.resume(returning: true) }
    }

    private func take(_ id: UInt64) -> Waiter? { state.withLock { $0.waiters.removeValue(forKey: id) } }
}
