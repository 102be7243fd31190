import Foundation

/// A failed scenario's world left running (`--keep`): the rehearsal's emulator has stopped (its
/// world is in the state directory's database, every acknowledged write included), and an
/// `xdsemu up` daemon on that directory serves it on after this process exits.
enum KeptWorld {
    /// Starts the daemon and returns its kubeconfig once it listens; nil (and says why) when it did not.
    static func start(directory: String, xdsemu: String, say: @Sendable (String) -> Void) async -> String? {
        let state = directory + "/state"
        let log = directory + "/up"
        let daemon = StepProcess(
            command: "exec '\(xdsemu)' up --state-dir '\(state)'", environment: ProcessInfo.processInfo.environment,
            workingDirectory: directory, outputPrefix: log)
        let pid: Int32
        do {
            pid = try daemon.start().pid
        } catch {
            say("  could not keep the world: \(error)")
            return nil
        }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            let text = StepProcess.read(log + ".out")
            if text.contains("Press Ctrl-C to stop.") {
                let kubeconfig = state + "/kubeconfig"
                say("  the failed world is still running (xdsemu up, pid \(pid)):")
                say("    export KUBECONFIG=\(kubeconfig)")
                say("  stop it with: kill \(pid)   (then remove \(directory))")
                return kubeconfig
            }
            if kill(pid, 0) != 0 { break }
            try? await Task.sleep(for: .milliseconds(50))
        }
        say("  could not keep the world: xdsemu up said: \(StepProcess.read(log + ".out"))\(StepProcess.read(log + ".err"))")
        kill(-pid, SIGKILL)
        return nil
    }
}
