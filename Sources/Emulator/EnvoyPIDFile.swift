import Foundation
import Synchronization

/// The PIDs of the real Envoys one daemon runs, one per line in `<envoy directory>.pids`
/// (`<state>/envoy.pids` for `xdsemu up`), rewritten on every start and stop. A daemon killed
/// with SIGKILL cannot clean up; the next daemon on the same state directory reads the file and
/// kills what is left before it starts its own Envoys, so a restart never runs duplicates.
package final class EnvoyPIDFile: Sendable {
    package let path: String
    /// What every Envoy of this state directory has in its command line (its config lives there),
    /// so a PID reused by an unrelated process is never killed.
    let marker: String
    private let pids = Mutex<Set<Int32>>([])

    package init(envoyDirectory: String) {
        let directory = URL(fileURLWithPath: envoyDirectory).standardizedFileURL.path
        path = directory + ".pids"
        marker = directory + "/"
    }

    /// SIGKILLs every Envoy a previous daemon recorded and still running with this directory in
    /// its command line; returns the PIDs it killed. The file is emptied.
    @discardableResult
    package func killLeftovers() -> [Int32] {
        let recorded = ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
        let killed = recorded.filter { pid in
            guard pid > 1, Self.commandLine(pid).contains(marker) else { return false }
            return kill(pid, SIGKILL) == 0
        }
        pids.withLock { $0 = []; write($0) }
        return killed
    }

    // Written under the lock, so concurrent starts and stops cannot leave an older set on disk.
    package func add(_ pid: Int32) { pids.withLock { $0.insert(pid); write($0) } }

    func remove(_ pid: Int32) { pids.withLock { $0.remove(pid); write($0) } }

    private func write(_ set: Set<Int32>) {
        let text = set.sorted().map { "\($0)\n" }.joined()
        // Best effort: without the file a later daemon cannot clean up after a SIGKILL, but the
        // Envoys still end with this daemon (see `EnvoySidecar`).
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `/proc/PID/cmdline` with its NUL separators as spaces ("" when the process is gone).
    package static func commandLine(_ pid: Int32) -> String {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return "" }
        return String(decoding: data.map { $0 == 0 ? UInt8(ascii: " ") : $0 }, as: UTF8.self)
    }
}
