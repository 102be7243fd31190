import Foundation
import Sidecar
import Synchronization

/// A real Envoy standing in for one pod's proxy: the pod's `SidecarBootstrap` written as Envoy
/// JSON (`SidecarBootstrap.envoyJSON`), Envoy started on it with its admin on a loopback port it
/// picks itself, read back from `--admin-address-path`. istiod sees it as any other proxy (same
/// node id and metadata); istioctl reads its own admin API.
///
/// `start` returns once the admin port is known. `stop()` must be called: it SIGKILLs Envoy —
/// not SIGTERM, because a child inherits the parent's signal mask and the daemon (and the test
/// runner) block SIGTERM, so a SIGTERM'd Envoy would outlive us.
///
/// Envoy also ends when the daemon dies without calling `stop()` (SIGKILL, a crash): it is
/// started through `watchdogScript`, a `/bin/sh` that forks a watcher and then execs Envoy, so
/// Envoy keeps the PID we know. The watcher polls the daemon's PID once a second and SIGKILLs
/// Envoy when the daemon is gone (or a zombie). Why not Linux's parent-death signal
/// (`PR_SET_PDEATHSIG`, `setpriv --pdeathsig`): it must be set between fork and exec, which
/// Foundation's `Process` cannot do, and it fires when the *thread* that forked exits, not the
/// process — Envoys are started from the cooperative pool, whose threads are not ours to keep
/// alive. Polling costs a `sleep` per second per Envoy and ends Envoy within about a second.
final class EnvoySidecar: Sendable {
    /// `sh -c watchdogScript sh DAEMON_PID ENVOY ARGS…`. The watcher also exits (without killing)
    /// once Envoy is gone, so a stopped Envoy leaves no loop behind; its standard streams are
    /// /dev/null, so it holds no pipe of ours open.
    static let watchdogScript = #"""
        daemon=$1; shift
        alive() { s=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/$1/status 2>/dev/null); [ -n "$s" ] && [ "$s" != Z ]; }
        envoy=$$
        ( while alive "$daemon"; do alive "$envoy" || exit 0; sleep 1; done; kill -9 "$envoy" ) </dev/null >/dev/null 2>&1 &
        exec "$@"
        """#

    let bootstrap: SidecarBootstrap
    let adminPort: Int
    let directory: URL
    private let process: Mutex<Process?>

    var adminBaseURL: String { "http://127.0.0.1:\(adminPort)" }
    /// Envoy's PID (the watchdog shell execs it, so it is the PID we started).
    let pid: Int32

    private init(bootstrap: SidecarBootstrap, adminPort: Int, directory: URL, process: sending Process) {
        self.bootstrap = bootstrap
        self.adminPort = adminPort
        self.directory = directory
        self.pid = process.processIdentifier
        self.process = Mutex(process)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Writes the bootstrap under `directory`, starts `binary`, waits (bounded) for its admin address.
    static func start(bootstrap: SidecarBootstrap, binary: String, directory: URL) async throws -> EnvoySidecar {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw Failure(description: "no Envoy at \(binary) (run scripts/setup-venv, or pass --envoy-binary)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("envoy-rev0.json")
        let adminFile = directory.appendingPathComponent("admin-address")
        try? FileManager.default.removeItem(at: adminFile)
        try bootstrap.envoyJSON().write(to: config, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", watchdogScript, "sh", String(getpid()), binary] + [
            "-c", config.path, "--admin-address-path", adminFile.path, "--disable-hot-restart",
            "--concurrency", "1", "-l", "warning", "--log-path", directory.appendingPathComponent("envoy.log").path,
            // Several Envoys on one host: each needs its own shared-memory base id.
            "--base-id", String(UInt32.random(in: 1..<1_000_000)),
        ]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let pid = process.processIdentifier
        var address = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while address.isEmpty {
            guard process.isRunning else {
                let log = (try? String(contentsOf: directory.appendingPathComponent("envoy.log"), encoding: .utf8)) ?? ""
                throw Failure(description: "Envoy for \(bootstrap.proxyID) exited early: \(log.suffix(2000))")
            }
            guard ContinuousClock.now < deadline else {
                kill(pid, SIGKILL)
                throw Failure(description: "Envoy for \(bootstrap.proxyID) did not bind its admin port within 30 s")
            }
            try? await Task.sleep(for: .milliseconds(20))
            address = (try? String(contentsOf: adminFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        }
        let port = Int(address.split(separator: ":").last ?? "") ?? 0
        return EnvoySidecar(bootstrap: bootstrap, adminPort: port, directory: directory, process: process)
    }

    /// SIGKILLs Envoy and reaps it. Idempotent.
    func stop() {
        let pid = process.withLock { p -> Int32? in
            guard let running = p, running.isRunning else { return nil }
            return running.processIdentifier
        }
        guard let pid else { return }
        kill(pid, SIGKILL)
        process.withLock { $0?.waitUntilExit() }
    }
}
