import Foundation
import TestKit
import Testing

/// A release the emulator has no rules for is refused in one line naming the supported range,
/// wherever a release is named: `xdsemu shim`, `xdsemu up --istio`, `istioctl --istio-version`
/// (and the shim's variable). Nothing is written or started.
struct ReleaseRangeTests {
    static let range = "xdsemu emulates Istio 1.5 to 1.30 (1.5.0 … 1.30.3)"

    @Test func unknownReleasesAreOneLineErrors() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu))
        let dir = try KubectlHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let shim = try await ChildProcess.run(RealPeers.xdsemu, ["shim", "\(dir)/istio", "--istio-version", "1.99.0"], directory: dir)
        #expect(shim.status == 1)
        #expect(shim.stdout.isEmpty && shim.stderr == "Error: --istio-version: unsupported Istio release 1.99.0: \(Self.range)\n", "\(shim)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/istio/bin/istioctl"))

        let up = try await ChildProcess.run(RealPeers.xdsemu, ["up", "--state-dir", "\(dir)/state", "--istio", "1.4.0"], directory: dir)
        #expect(up.status == 1)
        #expect(up.stderr == "Error: --istio: unsupported Istio release 1.4.0: \(Self.range); or none\n", "\(up)")

        let flag = try await ChildProcess.run(RealPeers.xdsemu, ["istioctl", "--istio-version", "1.4.0", "version"], directory: dir)
        #expect(flag.status == 1)
        #expect(flag.stderr == "Error: unsupported Istio release 1.4.0: \(Self.range)\n", "\(flag)")
        let variable = try await ChildProcess.run(
            RealPeers.xdsemu, ["istioctl", "version"], environment: ["XDSEMU_ISTIO_VERSION": "1.99.0", "HOME": dir], directory: dir)
        #expect(variable.status == 1)
        #expect(variable.stderr == "Error: unsupported Istio release 1.99.0: \(Self.range)\n", "\(variable)")
    }
}
