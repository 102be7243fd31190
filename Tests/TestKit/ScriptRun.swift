import Foundation
import Testing

/// Runs the package's scripts (Python checks against the official protos, generators) from tests,
/// in the package root, to completion.
package enum ScriptRun {
    package static var packageRoot: URL { RealPeers.packageRoot }

    /// `XDSEMU_PYTHON`, else `<package root>/.venv/bin/python`. Records a failure (never skips)
    /// when it is missing: the compatibility checks need the official protos in that venv.
    package static func python() throws -> URL {
        let path = RealPeers.python
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "no Python at \(path): run scripts/setup-venv (or set XDSEMU_PYTHON to a python with xds-protos)")
        return URL(fileURLWithPath: path)
    }

    /// A fresh temporary directory for one test's files.
    package static func temporaryDirectory() throws -> URL {
        URL(fileURLWithPath: try RealPeers.scratchDirectory("xdswire"))
    }

    /// Runs `executable` with `arguments` in the package root and waits for it to exit, polling:
    /// a test blocked in `waitUntilExit` would hold one of the cooperative pool's threads (two on
    /// this machine), and every other test's tasks would wait for it.
    package static func run(_ executable: URL, _ arguments: [String]) async throws -> ProcessRun {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        return try await ChildProcess.run(
            executable.path, arguments, directory: dir.path, workingDirectory: packageRoot.path, timeout: .seconds(300))
    }
}
