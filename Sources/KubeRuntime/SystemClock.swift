import Foundation
import Kubernetes

/// The real wall clock, for the daemon.
package struct SystemClock: WorldClock {
    package init() {}
    package func now() -> Timestamp {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
