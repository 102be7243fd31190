import Foundation
import Synchronization

/// The process's file descriptors as a budget the daemon spends on purpose. Every simulated
/// proxy costs two (its client socket and istiod's accepted one), a real Envoy more; the API
/// server, SQLite (database, journal), each istiod's listener and kubectl's connections need
/// theirs. Out of descriptors, gRPC's accept loop logs `Failed accept4: Too many open files`
/// and any file the process opens next fails — so the daemon starts no proxy that would leave
/// less than `reserve` free, says so once, and starts them when pods go away or the limit is
/// raised. kubectl keeps being served from the reserve.
package final class DescriptorBudget: Sendable {
    /// Left free for the API server's connections, SQLite and the istiods' listeners.
    package static let reserve = 128

    private let refusedOnce = Mutex(false)
    /// Open when the fleet started, before any proxy: what proxies add is counted on top.
    private let baseline: Int

    package init() { baseline = Self.inUse }

    /// Raises the soft `RLIMIT_NOFILE` to the hard one, as Go's runtime does for istiod since
    /// Go 1.19 (`syscall` package, rlimit.go): a shell's default of 1,024 runs out near 450 proxies.
    package static func raiseSoftLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }

    /// The soft limit on open descriptors.
    package static var limit: Int {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return Int.max }
        return limit.rlim_cur == rlim_t.max ? Int.max : Int(clamping: limit.rlim_cur)
    }

    /// Descriptors open now (`/proc/self/fd`; where that is unreadable, none are assumed).
    package static var inUse: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
    }

    /// Whether `cost` more descriptors leave the reserve free, `committed` being what the
    /// proxies already started cost (a proxy opens its sockets after it starts, on a loaded
    /// machine seconds later: `/proc/self/fd` alone would let a burst of pods overcommit).
    /// The first refusal is said once on stderr, with what to do.
    package func allows(_ cost: Int, committed: Int, for what: String) -> Bool {
        let limit = Self.limit, used = max(Self.inUse, baseline + committed)
        if used + cost + Self.reserve <= limit { return true }
        let first = refusedOnce.withLock { said in
            defer { said = true }
            return !said
        }
        if first {
            FileHandle.standardError.write(Data(
                "xdsemu: not starting \(what): \(used) of \(limit) file descriptors in use (ulimit -n); proxies wait until pods go away or the limit is raised\n".utf8))
        }
        return false
    }
}
