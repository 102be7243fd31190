#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// Exclusive `flock`s held for the daemon's lifetime: one on `<state dir>/lock`, so a second
/// `xdsemu up` on the same state directory fails at once, and one on the database file itself,
/// wherever `--db` puts it, so two daemons never write one database (each would hand out the same
/// resource versions). The kernel drops the locks if the process dies, so a crash never leaves a
/// stale lock. (`flock` and SQLite's own `fcntl` locks do not interfere on Linux.)
final class StateDirectoryLock: Sendable {
    let path: String
    private let descriptors: [Int32]
    private let held = Mutex(true)

    init(directory: String, database: String) throws(EmulatorError) {
        do {
            // 0700: it holds the kubeconfig's token and the world's Secrets.
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory)
        } catch {
            throw EmulatorError("cannot create state directory \(directory) with mode 0700: \(error.localizedDescription)")
        }
        path = (directory as NSString).appendingPathComponent("lock")
        let dirLock = try Self.lockExclusively(path) { owner in
            "another xdsemu is already running with state directory \(directory)\(owner); stop it first or use another --state-dir"
        }
        ftruncate(dirLock, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(dirLock, $0, strlen($0)) }
        let dbLock: Int32
        do {
            dbLock = try Self.lockExclusively(database) { _ in
                "another xdsemu is already using the database \(database); stop it first or use another --db"
            }
        } catch {
            close(dirLock)
            throw error
        }
        descriptors = [dirLock, dbLock]
    }

    /// Opens (creating if needed) and locks `path`, or fails with `busy(" (pid N)")` naming the
    /// holder when the file records one.
    private static func lockExclusively(_ path: String, busy: (String) -> String) throws(EmulatorError) -> Int32 {
        // 0600, also for a file an older version created 0644: the database holds Secrets, and
        // SQLite gives its -wal and -shm files the database's mode.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw EmulatorError("cannot open \(path): \(String(cString: strerror(errno)))") }
        fchmod(fd, 0o600)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let owner = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            throw EmulatorError(busy(owner.isEmpty || Int(owner) == nil ? "" : " (pid \(owner))"))
        }
        return fd
    }

    /// Idempotent: each descriptor is closed once, never a number the process reused since.
    func release() {
        let wasHeld = held.withLock { h in
            defer { h = false }
            return h
        }
        guard wasHeld else { return }
        for fd in descriptors {
            flock(fd, LOCK_UN)
            close(fd)
        }
    }
}

/// A failure to start or run the emulator, with a message fit for one line on stderr.
package struct EmulatorError: Error, CustomStringConvertible, Sendable {
    package var description: String
    package init(_ description: String) { self.description = description }
}
