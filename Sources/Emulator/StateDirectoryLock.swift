#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// An exclusive `flock` on `<state dir>/lock`, held for the daemon's lifetime, so a second
/// `xdsemu up` on the same state directory fails at once instead of sharing the database.
/// The kernel drops the lock if the process dies, so a crash never leaves a stale lock.
final class StateDirectoryLock: Sendable {
    let path: String
    private let fd: Int32
    private let held = Mutex(true)

    init(directory: String) throws(EmulatorError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw EmulatorError("cannot create state directory \(directory): \(error.localizedDescription)")
        }
        path = (directory as NSString).appendingPathComponent("lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw EmulatorError("cannot open \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let owner = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            close(fd)
            let who = owner.isEmpty ? "" : " (pid \(owner))"
            throw EmulatorError("another xdsemu is already running with state directory \(directory)\(who); stop it first or use another --state-dir")
        }
        ftruncate(fd, 0)
        let pid = "\(getpid())\n"
        _ = pid.withCString { write(fd, $0, strlen($0)) }
        self.fd = fd
    }

    /// Idempotent: the descriptor is closed once, never a number the process reused since.
    func release() {
        let wasHeld = held.withLock { h in
            defer { h = false }
            return h
        }
        guard wasHeld else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// A failure to start or run the emulator, with a message fit for one line on stderr.
public struct EmulatorError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
