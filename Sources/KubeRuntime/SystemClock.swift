import Foundation
import Kubernetes

/// The real wall clock, for the daemon.
public struct SystemClock: WorldClock {
    public init() {}
    public func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
