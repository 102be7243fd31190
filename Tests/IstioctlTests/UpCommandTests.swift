import Foundation
import TestKit
import Testing

/// `xdsemu up` as `make run` starts it: a child process whose first lines say what to export, that
/// the default world's 7 proxies are connected, and where the sidecar admin listens.
@Suite(.serialized)
struct UpCommandTests {
    @Test func upPrintsWhatToExportAndSevenConnectedProxies() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu))
        let dir = try KubectlHarness.makeDirectory()
        let up = try ChildProcess(
            RealPeers.xdsemu, ["up", "--state-dir", "\(dir)/state", "--step-ms", "20"], directory: dir,
            mergingStandardError: true)
        // SIGKILL whatever happens below: the test runner blocks SIGTERM in its children.
        defer {
            up.kill()
            try? FileManager.default.removeItem(atPath: dir)
        }
        // Until it says it is ready, or has exited (the lines below then say what it printed).
        try await eventually(up.stdout, timeout: .seconds(30)) { up.stdout.contains("Press Ctrl-C to stop.") || !up.isRunning }
        let text = up.stdout
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("  export KUBECONFIG=\(dir)/state/kubeconfig"), "\(text)")
        #expect(lines.contains("proxies: 7 running, 7 connected over xDS"), "\(text)")
        #expect(lines.contains { $0.hasPrefix("  7 on istiod (istiod-") }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("Sidecar admin (Envoy's :15000 of each pod): http://127.0.0.1:") }, "\(text)")
        #expect(lines.contains { $0.hasSuffix("xdsemu shim . --istio-version 1.5.4") }, "\(text)")
    }
}
