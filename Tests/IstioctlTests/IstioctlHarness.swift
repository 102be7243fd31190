import Emulator
import Foundation
import JSON
import Kubernetes
import KubeRuntime
import Istio
import Sidecar
import Testing

/// An emulator with Istio 1.5.4 on real time (pods step every 20 ms, so an install's waits are
/// short), the built `xdsemu` binary, an `xdsemu shim` directory, and runners for `bin/istioctl`
/// and the real kubectl, each a child process with its output in files.
final class IstioctlHarness: Sendable {
    static let kubectlPath = "/usr/bin/kubectl"
    static var xdsemu: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("xdsemu").path
    }

    let directory: String
    let emulator: Emulator
    var cluster: LiveWorld { emulator.cluster }

    private init(directory: String, emulator: Emulator) {
        self.directory = directory
        self.emulator = emulator
    }

    static func makeDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xdsemu-istioctl-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Proxies retry a lost istiod after at most a second (Envoy's cap is 30 s), so reconnect tests stay short.
    static let quickReconnect = Sidecar.Configuration(backoff: Backoff(base: .milliseconds(100), cap: .seconds(1)))

    static func start(
        istio: IstioVersion? = .v1_5_4, sidecar: Sidecar.Configuration = quickReconnect,
        envoy: SidecarFleet.EnvoySelection? = nil
    ) async throws -> IstioctlHarness {
        try #require(FileManager.default.isExecutableFile(atPath: xdsemu), "build the xdsemu product first (\(xdsemu))")
        let dir = try makeDirectory()
        let emulator = try await Emulator.start(
            Emulator.Options(
                stateDirectory: dir + "/state", worldConfig: WorldConfig(seed: 42, stepMilliseconds: 20),
                tickInterval: .milliseconds(10), watchHeartbeat: .milliseconds(200), istio: istio, sidecar: sidecar,
                envoy: envoy))
        return IstioctlHarness(directory: dir, emulator: emulator)
    }

    func stop() async { await emulator.stop() }

    struct Run: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    var environment: [String: String] {
        ["KUBECONFIG": emulator.kubeconfigPath, "HOME": directory, "PATH": "/usr/bin:/bin"]
    }

    /// `xdsemu shim <dir>/<name> --istio-version <version>`; returns the istioctl path.
    func shim(_ version: String) async throws -> String {
        let dir = "\(directory)/istio-\(version)"
        let run = try await Self.run(Self.xdsemu, ["shim", dir, "--istio-version", version], environment: environment, in: directory)
        #expect(run.status == 0, "\(run)")
        return "\(dir)/bin/istioctl"
    }

    func istioctl(_ version: String, _ args: String..., input: String? = nil) async throws -> Run {
        let path = try await shim(version)
        return try await Self.run(path, args, environment: environment, in: directory, input: input)
    }

    func kubectl(_ args: String...) async throws -> Run {
        try await Self.run(Self.kubectlPath, args, environment: environment, in: directory)
    }

    /// Runs a program to completion (output in files, the wait a termination handler).
    static func run(
        _ program: String, _ args: [String], environment: [String: String], in directory: String, input: String? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> Run {
        let id = UUID().uuidString
        let out = "\(directory)/run-\(id).out", err = "\(directory)/run-\(id).err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = args
        process.environment = environment
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        if let input {
            let inPath = "\(directory)/run-\(id).in"
            try input.write(toFile: inPath, atomically: true, encoding: .utf8)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let (exited, sink) = AsyncStream<Void>.makeStream()
        process.terminationHandler = { _ in sink.finish() }
        try process.run()
        let finished = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await _ in exited {}
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
        if !finished {
            process.terminate()
            Issue.record("\(program) \(args.joined(separator: " ")) did not finish within \(timeout)")
        }
        return Run(
            status: process.isRunning ? -1 : process.terminationStatus,
            stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }

    /// Waits (bounded) until the world satisfies `condition`; the world changes on its own clock.
    func waitForWorld(timeout: Duration = .seconds(20), _ condition: (World) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(cluster.world) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(cluster.world)
    }
}
