import Emulator
import Foundation
import JSON
import Kubernetes
import KubeRuntime
import Istio
import TestKit
import Testing

@Suite(.serialized)
struct RestartTests {
    /// Write through kubectl, stop the emulator, start it again on the same state directory, and
    /// read back the same world, down to a rollout that was halfway through.
    @Test func worldSurvivesRestart() async throws {
        let dir = try KubectlHarness.makeDirectory()
        let clock = ManualClock(KubectlHarness.start)
        let first = try await KubectlHarness.start(directory: dir, clock: clock)
        #expect(!first.emulator.restored)
        _ = try await first.kubectl("label", "namespace", "default", "istio-injection-", "istio.io/rev=canary")
        _ = try await first.kubectl("apply", "-f", "-", input: KubectlTests.sleepYAML)
        _ = try await first.kubectl("rollout", "restart", "deployment", "details-v1")
        try await first.advance(steps: 4)  // the new details pod is ready; the old one terminating
        let before = first.cluster.world
        let podsBefore = try await first.kubectl("get", "pods", "-A", "-o", "wide")
        let labelsBefore = try await first.kubectl("get", "ns", "--show-labels")
        #expect(podsBefore.stdout.contains("Terminating"), "\(podsBefore)")

        // A second emulator on the same state directory is refused while the first runs.
        do {
            _ = try await KubectlHarness.start(directory: dir, clock: clock)
            Issue.record("a second emulator started on the same state directory")
        } catch let error as EmulatorError {
            #expect(error.description.contains("another xdsemu is already running with state directory"), "\(error)")
        }

        await first.stop()
        let second = try await KubectlHarness.start(directory: dir, clock: clock)
        #expect(second.emulator.restored)
        #expect(second.cluster.world == before)
        let podsAfter = try await second.kubectl("get", "pods", "-A", "-o", "wide")
        let labelsAfter = try await second.kubectl("get", "ns", "--show-labels")
        #expect(podsAfter.stdout == podsBefore.stdout)
        #expect(labelsAfter.stdout == labelsBefore.stdout)

        // The saved schedule carries on: the old details pod finishes terminating.
        try await second.advance(steps: 2)
        let details = second.cluster.world.pods(in: "default").filter { $0.name.hasPrefix("details-v1-") }
        #expect(details.count == 1 && details[0].isReady, "\(details)")
        await second.stop()
    }
}

/// The `xdsemu up` binary itself: prints what to export, refuses a second `up` on the same state
/// directory with one clear line, and stops cleanly on SIGTERM.
@Suite(.serialized)
struct DaemonTests {
    @Test func upWritesKubeconfigRefusesASecondUpAndStopsOnSIGTERM() async throws {
        let binary = RealPeers.xdsemu
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the xdsemu product first (\(binary))")
        let dir = try KubectlHarness.makeDirectory()
        let state = dir + "/state"
        let up = try ChildProcess(binary, ["up", "--state-dir", state], directory: dir)
        try await eventually("\(up.stdout)\(up.stderr)", timeout: .seconds(30)) { up.stdout.contains("export KUBECONFIG=") }
        let export = try #require(up.stdout.split(separator: "\n").first { $0.contains("export KUBECONFIG=") })
        let kubeconfig = String(export.split(separator: "=", maxSplits: 1)[1])
        #expect(kubeconfig == state + "/kubeconfig")
        #expect(try String(contentsOfFile: kubeconfig, encoding: .utf8).contains("server: http://127.0.0.1:"))

        let second = try ChildProcess(binary, ["up", "--state-dir", state], directory: dir)
        #expect(await second.waitForExit(timeout: .seconds(30)))
        #expect(second.process.terminationStatus == 1)
        #expect(second.stderr.hasPrefix("xdsemu: another xdsemu is already running with state directory \(state) (pid \(up.pid))"), "\(second.stderr)")
        #expect(second.stderr.split(separator: "\n").count == 1, "\(second.stderr)")

        kill(up.pid, SIGTERM)
        #expect(await up.waitForExit(timeout: .seconds(30)))
        #expect(up.process.terminationReason == .exit && up.process.terminationStatus == 0)
        #expect(up.stdout.hasSuffix("xdsemu: stopped\n"), "\(up.stdout)")
    }
}
