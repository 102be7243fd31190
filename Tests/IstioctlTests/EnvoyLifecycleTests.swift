import Emulator
import Foundation
import TestKit
import Testing

/// Real Envoys started by `xdsemu up --envoy` end with the daemon, even when it is SIGKILLed
/// and cannot stop them, and a daemon started on the same state directory later finds none of
/// the old ones running.
@Suite(.serialized)
struct EnvoyLifecycleTests {
    /// Running, not a zombie waiting for its reaper (which, for an orphan, is not us).
    static func isAlive(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return false }
        let state = status.split(separator: "\n").first { $0.hasPrefix("State:") }
        return state.map { !$0.dropFirst(6).trimmingCharacters(in: .whitespaces).hasPrefix("Z") } ?? false
    }

    static func recordedPIDs(_ state: String) -> [Int32] {
        ((try? String(contentsOfFile: state + "/envoy.pids", encoding: .utf8)) ?? "").split(separator: "\n").compactMap { Int32($0) }
    }

    @Test func envoysDieWhenTheDaemonIsKilled() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.envoy), "no Envoy at \(RealPeers.envoy)")
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu), "build the xdsemu product first")
        let dir = try KubectlHarness.makeDirectory()
        let state = dir + "/state"
        let args = ["up", "--state-dir", state, "--step-ms", "20", "--envoy", "details-v1", "--envoy-binary", RealPeers.envoy]
        let up = try ChildProcess(RealPeers.xdsemu, args, directory: dir)
        var envoys: [Int32] = []
        do {
            try await eventually("\(up.result)", timeout: .seconds(60), pollingEvery: .milliseconds(100)) {
                envoys = Self.recordedPIDs(state).filter(Self.isAlive)
                return !envoys.isEmpty
            }
        } catch {
            up.kill()
            throw error
        }
        #expect(envoys.count == 1, "one details-v1 pod: \(envoys)")
        for pid in envoys {
            let cmdline = EnvoyPIDFile.commandLine(pid)
            #expect(cmdline.contains("envoy") && cmdline.contains(state + "/envoy/"), "\(cmdline)")
        }

        up.kill()  // SIGKILL: the daemon gets no chance to stop its Envoys.
        try await eventually("still running: \(envoys.filter(Self.isAlive))", timeout: .seconds(10), pollingEvery: .milliseconds(100)) {
            !envoys.contains(where: Self.isAlive)
        }
    }

    /// A PID recorded by an earlier daemon is killed only when its command line names this state
    /// directory's Envoy directory: a PID reused by something else is left alone.
    @Test func leftoversOfThisStateDirectoryAreKilledOthersAreNot() async throws {
        let dir = try KubectlHarness.makeDirectory()
        let envoyDirectory = dir + "/state/envoy"
        try FileManager.default.createDirectory(atPath: envoyDirectory + "/details", withIntermediateDirectories: true)
        let mine = envoyDirectory + "/details/envoy.log", other = dir + "/unrelated.log"
        for path in [mine, other] { FileManager.default.createFile(atPath: path, contents: nil) }
        // Stand-ins with the file in their command line, as an Envoy has its config path.
        let leftover = try ChildProcess("/usr/bin/tail", ["-f", mine], directory: dir)
        let bystander = try ChildProcess("/usr/bin/tail", ["-f", other], directory: dir)
        defer { bystander.kill() }
        try "\(leftover.pid)\n\(bystander.pid)\n".write(toFile: dir + "/state/envoy.pids", atomically: true, encoding: .utf8)

        let file = EnvoyPIDFile(envoyDirectory: envoyDirectory)
        #expect(file.path == dir + "/state/envoy.pids")
        #expect(file.killLeftovers() == [leftover.pid])
        #expect(await leftover.waitForExit(timeout: .seconds(10)))
        #expect(bystander.isRunning)
        #expect(Self.recordedPIDs(dir + "/state").isEmpty)
    }
}
