import Emulator
import Foundation
import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

/// One emulator per test: a temporary state directory, a manual clock (time moves only when the
/// test says), the API on a free loopback port, and the real kubectl pointed at it.
final class KubectlHarness: Sendable {
    static let kubectlPath = "/usr/bin/kubectl"
    static let start = Timestamp(seconds: 1_767_225_600)  // 2026-01-01T00:00:00Z

    let directory: String
    let clock: ManualClock
    let emulator: Emulator

    var cluster: LiveWorld { emulator.cluster }

    private init(directory: String, clock: ManualClock, emulator: Emulator) {
        self.directory = directory
        self.clock = clock
        self.emulator = emulator
    }

    static func makeDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("xdsemu-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Starts an emulator on `directory` (a fresh one when nil).
    static func start(directory: String? = nil, clock: ManualClock? = nil) async throws -> KubectlHarness {
        let dir = try directory ?? makeDirectory()
        let clock = clock ?? ManualClock(start)
        let emulator = try await Emulator.start(
            Emulator.Options(
                stateDirectory: dir + "/state", worldConfig: WorldConfig(seed: 42), clock: clock,
                watchHeartbeat: .milliseconds(200)))
        return KubectlHarness(directory: dir, clock: clock, emulator: emulator)
    }

    func stop() async { await emulator.stop() }

    /// Moves the clock `steps` pod-lifecycle steps, letting the cluster act after each.
    func advance(steps: Int) async throws {
        for _ in 0..<steps {
            clock.advance(byMilliseconds: cluster.world.config.stepMilliseconds)
            try await cluster.tick()
        }
    }

    struct Run: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    var environment: [String: String] {
        [
            "KUBECONFIG": emulator.kubeconfigPath, "HOME": directory, "PATH": "/usr/bin:/bin",
            // kubectl's own discovery cache goes under HOME; keep it per test.
        ]
    }

    /// Runs kubectl to completion. Output goes to files (not pipes) and the wait is a
    /// termination handler, so no cooperative thread blocks while kubectl talks to the server.
    func kubectl(_ args: String..., input: String? = nil, timeout: Duration = .seconds(60)) async throws -> Run {
        let process = try launch(args, input: input)
        let finished = await process.waitForExit(timeout: timeout)
        if !finished {
            process.process.terminate()
            Issue.record("kubectl \(args.joined(separator: " ")) did not finish within \(timeout)")
        }
        return process.result()
    }

    /// A kubectl left running (for `-w`): read its output as it grows, stop it when done.
    final class Running: Sendable {
        let process: Process
        let stdoutPath: String
        let stderrPath: String
        private let exited: AsyncStream<Void>

        init(process: Process, stdoutPath: String, stderrPath: String, exited: AsyncStream<Void>) {
            self.process = process
            self.stdoutPath = stdoutPath
            self.stderrPath = stderrPath
            self.exited = exited
        }

        var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        func waitForExit(timeout: Duration) async -> Bool {
            await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    for await _ in self.exited {}
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
        }

        /// Waits until the output satisfies `condition`, for at most `timeout`.
        func waitForOutput(timeout: Duration = .seconds(30), _ condition: (String) -> Bool) async -> Bool {
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if condition(stdout) { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return condition(stdout)
        }

        func stop() async {
            if process.isRunning { process.terminate() }
            _ = await waitForExit(timeout: .seconds(10))
        }

        func result() -> Run { Run(status: process.isRunning ? -1 : process.terminationStatus, stdout: stdout, stderr: stderr) }
    }

    func launch(_ args: [String], input: String? = nil) throws -> Running {
        let id = UUID().uuidString
        let out = "\(directory)/kubectl-\(id).out", err = "\(directory)/kubectl-\(id).err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.kubectlPath)
        process.arguments = args
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        if let input {
            let inPath = "\(directory)/kubectl-\(id).in"
            try input.write(toFile: inPath, atomically: true, encoding: .utf8)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let (exited, sink) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in sink.finish() }
        try process.run()
        return Running(process: process, stdoutPath: out, stderrPath: err, exited: exited)
    }
}

/// The columns of a kubectl table line.
func columns(_ line: String) -> [String] {
    line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
}

/// `<deployment>-<pod-template-hash>-<suffix>` with Kubernetes' alphabets.
func isPodName(_ name: String, of deployment: String) -> Bool {
    guard name.hasPrefix(deployment + "-") else { return false }
    let rest = name.dropFirst(deployment.count + 1).split(separator: "-")
    guard rest.count == 2 else { return false }
    let hashAlphabet = Set("bcdf456789"), suffixAlphabet = Set("bcdfghjklmnpqrstvwxz2456789")
    return (6...10).contains(rest[0].count) && rest[0].allSatisfy(hashAlphabet.contains)
        && rest[1].count == 5 && rest[1].allSatisfy(suffixAlphabet.contains)
}
