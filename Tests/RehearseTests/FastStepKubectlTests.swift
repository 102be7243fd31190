import Foundation
import TestKit
import Testing

/// A rehearsal's short step changes only the time between a pod's transitions: the real kubectl,
/// watching a rollout, sees the same events in the same order, with the same READY and STATUS,
/// at `xdsemu up`'s 1 s step and at 20 ms.
@Suite(.serialized)
struct FastStepKubectlTests {
    /// `kubectl get pods -l app=details -w --output-watch-events` across `kubectl rollout restart
    /// deployment details-v1`, until the old pod is deleted: EVENT, which pod (old/new), READY, STATUS.
    static func watchedRollout(stepMilliseconds: Int) async throws -> [String] {
        let dir = try KubectlHarness.makeDirectory()
        let up = try ChildProcess(
            RealPeers.xdsemu, ["up", "--state-dir", "\(dir)/state", "--step-ms", String(stepMilliseconds)], directory: dir,
            mergingStandardError: true)
        defer {
            up.kill()
            try? FileManager.default.removeItem(atPath: dir)
        }
        try await eventually(up.stdout, timeout: .seconds(30)) { up.stdout.contains("Press Ctrl-C to stop.") || !up.isRunning }
        let env = ["KUBECONFIG": "\(dir)/state/kubeconfig", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin"]
        let old = try await ChildProcess.run(
            RealPeers.kubectl, ["get", "pods", "-l", "app=details", "-o", "jsonpath={.items[0].metadata.name}"], environment: env,
            directory: dir)
        let oldName = old.stdout
        #expect(!oldName.isEmpty, "\(old)")
        let watch = try ChildProcess(
            RealPeers.kubectl, ["get", "pods", "-l", "app=details", "-w", "--output-watch-events"], environment: env, directory: dir)
        defer { watch.kill() }
        try await eventually(watch.stdout, timeout: .seconds(10)) { watch.stdout.contains(oldName) }
        let restart = try await ChildProcess.run(
            RealPeers.kubectl, ["rollout", "restart", "deployment", "details-v1"], environment: env, directory: dir)
        #expect(restart.status == 0, "\(restart)")
        try await eventually(watch.stdout, timeout: .seconds(60)) {
            watch.stdout.split(separator: "\n").contains { $0.hasPrefix("DELETED") && $0.contains(oldName) }
        }
        return watch.stdout.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            // EVENT NAME READY STATUS RESTARTS AGE: the name as old/new, the age left out.
            return [f[0], f[1] == oldName ? "old" : "new", f[2], f[3], f[4]].joined(separator: " ")
        }
    }

    @Test func aShortStepShowsKubectlTheSameRollout() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu))
        let slow = try await Self.watchedRollout(stepMilliseconds: 1000)
        let fast = try await Self.watchedRollout(stepMilliseconds: 20)
        #expect(fast == slow)
        // The rollout as the watch saw it: the new pod through every phase, then the old one gone.
        #expect(
            slow == [
                "ADDED old 2/2 Running 0", "ADDED new 0/2 Pending 0", "MODIFIED new 0/2 Pending 0", "MODIFIED new 0/2 Init:0/1 0",
                "MODIFIED new 0/2 PodInitializing 0", "MODIFIED new 1/2 Running 0", "MODIFIED new 2/2 Running 0",
                "MODIFIED old 2/2 Terminating 0", "MODIFIED old 0/2 Terminating 0", "DELETED old 0/2 Terminating 0",
            ])
    }
}
