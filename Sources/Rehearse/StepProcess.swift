#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A step's shell command: `/bin/sh -c COMMAND` in a process group of its own (so a timeout ends
/// the shell and everything it started), with the default signal mask and dispositions (the
/// emulator's process may block some), output to files (a chatty command never blocks on a pipe).
package struct StepProcess: Sendable {
    package var command: String
    package var environment: [String: String]
    package var workingDirectory: String
    /// Where `stdout` and `stderr` files go (`<prefix>.out`, `<prefix>.err`).
    package var outputPrefix: String

    package init(command: String, environment: [String: String], workingDirectory: String, outputPrefix: String) {
        self.command = command
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.outputPrefix = outputPrefix
    }

    /// A started command: its process group, for killing what it left behind.
    package struct Started: Sendable {
        package var pid: pid_t
    }

    /// Starts the command in its own process group, without waiting for it.
    package func start() throws -> Started {
        let out = outputPrefix + ".out", err = outputPrefix + ".err"
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer {
            posix_spawn_file_actions_destroy(&actions)
            posix_spawnattr_destroy(&attributes)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        // The working directory as the script's first line: glibc's posix_spawn has no portable chdir action.
        let argv = ["/bin/sh", "-c", "cd '\(workingDirectory.replacingOccurrences(of: "'", with: "'\\''"))' || exit 127\n" + command]
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let rc = withCStrings(argv) { a in withCStrings(envp) { e in posix_spawn(&pid, "/bin/sh", &actions, &attributes, a, e) } }
        guard rc == 0 else { throw StepProcessError(message: "cannot start /bin/sh: \(String(cString: strerror(rc)))") }
        return Started(pid: pid)
    }

    /// Runs the command to its end, or kills its process group at `timeout`. The process group is
    /// handed to `started` as soon as it exists (background children a step leaves are the
    /// caller's to end).
    package func run(timeout: Duration, started: (Started) -> Void = { _ in }) async throws -> CommandOutcome {
        let out = outputPrefix + ".out", err = outputPrefix + ".err"
        let pid = try start().pid
        started(Started(pid: pid))
        let deadline = ContinuousClock.now + timeout
        var status: Int32 = 0
        var timedOut = false
        // Polled: waitpid without WNOHANG would block a cooperative thread.
        while true {
            let r = waitpid(pid, &status, WNOHANG)
            if r == pid { break }
            if r < 0, errno != EINTR { throw StepProcessError(message: "waitpid: \(String(cString: strerror(errno)))") }
            if ContinuousClock.now >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                while waitpid(pid, &status, 0) < 0, errno == EINTR {}
                break
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let exit: Int32? = timedOut ? nil : (status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f))
        return CommandOutcome(exit: exit, stdout: Self.read(out), stderr: Self.read(err), timedOut: timedOut)
    }

    /// Ends whatever is left of a command's process group.
    package static func killGroup(_ started: Started) {
        kill(-started.pid, SIGKILL)
    }

    static func read(_ path: String) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    private func withCStrings<R>(_ strings: [String], _ body: (UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> R) -> R {
        var pointers: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) }
        pointers.append(nil)
        defer { for p in pointers { free(p) } }
        return pointers.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
    }
}

package struct StepProcessError: Error, CustomStringConvertible {
    package var message: String
    package var description: String { message }
}
