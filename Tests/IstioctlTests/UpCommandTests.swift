import Foundation
import Testing

/// `xdsemu up` as `make run` starts it: a child process whose first lines say what to export, that
/// the default world's 7 proxies are connected, and where the sidecar admin listens.
@Suite(.serialized)
struct UpCommandTests {
    @Test func upPrintsWhatToExportAndSevenConnectedProxies() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: IstioctlHarness.xdsemu))
        let dir = try IstioctlHarness.makeDirectory()
        let out = "\(dir)/up.out"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: IstioctlHarness.xdsemu)
        process.arguments = ["up", "--state-dir", "\(dir)/state", "--step-ms", "20"]
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        process.standardError = process.standardOutput
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // SIGKILL whatever happens below: the test runner blocks SIGTERM in its children.
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
        var text = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while !text.contains("Press Ctrl-C to stop."), ContinuousClock.now < deadline, process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
            text = (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
        }
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains("  export KUBECONFIG=\(dir)/state/kubeconfig"), "\(text)")
        #expect(lines.contains("proxies: 7 running, 7 connected over xDS"), "\(text)")
        #expect(lines.contains { $0.hasPrefix("  7 on istiod (istiod-") }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("Sidecar admin (Envoy's :15000 of each pod): http://127.0.0.1:") }, "\(text)")
        #expect(lines.contains { $0.hasSuffix("xdsemu shim . --istio-version 1.5.4") }, "\(text)")
    }
}
