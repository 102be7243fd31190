import Foundation
import Kubernetes
import Synchronization

/// Where a cluster reads the time. The daemon uses the system clock; tests use `ManualClock`.
package protocol WorldClock: Sendable {
    func now() -> Timestamp
}

/// A clock that moves only when told to: deterministic tests.
package final class ManualClock: WorldClock, Sendable {
    private let current: Mutex<Timestamp>
    package init(_ start: Timestamp) { current = Mutex(start) }
    package func now() -> Timestamp { current.withLock { $0 } }
    package func advance(byMilliseconds ms: Int64) { current.withLock { $0 = $0 + ms } }
}

/// The real wall clock, for the daemon.
package struct SystemClock: WorldClock {
    package init() {}
    package func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
