import Foundation
import Testing

/// Runs the package's scripts (Python checks, generators) from tests. Foundation's Process spawns
/// with posix_spawn; output goes to files, not pipes, so a chatty child cannot block on a full pipe.
struct ScriptRun {
    var status: Int32
    var stdout: String
    var stderr: String

    /// The package root, from this file's location (Tests/XDSWireTests/ScriptRun.swift).
    static let packageRoot = URL(filePath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `XDSEMU_PYTHON`, else `<package root>/.venv/bin/python`. Records a failure (never skips)
    /// when it is missing: the compatibility checks need the official protos in that venv.
    static func python() throws -> URL {
        let path = ProcessInfo.processInfo.environment["XDSEMU_PYTHON"]
            ?? packageRoot.appending(path: ".venv/bin/python").path
        try #require(
            FileManager.default.isExecutableFile(atPath: path),
            "no Python at \(path): run scripts/setup-venv (or set XDSEMU_PYTHON to a python with xds-protos)")
        return URL(filePath: path)
    }

    /// A fresh temporary directory for one test's files.
    static func temporaryDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appending(path: "xdswire-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    /// Runs `executable` with `arguments` in the package root and waits for it to exit.
    static func run(_ executable: URL, _ arguments: [String]) throws -> ScriptRun {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let out = dir.appending(path: "stdout"), err = dir.appending(path: "stderr")
        for file in [out, err] {
            try #require(FileManager.default.createFile(atPath: file.path, contents: nil), "cannot create \(file.path)")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return ScriptRun(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
