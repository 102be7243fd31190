import Foundation

/// A child process (kubectl, the istioctl shim, `xdsemu up`, Envoy, Python) with its output in
/// files, not pipes: a chatty child cannot block on a full pipe, and tests can read what a
/// long-running child (`kubectl get -w`, `xdsemu up`) has printed so far.
package final class ChildProcess: Sendable {
    package let process: Process
    package let stdoutPath: String
    package let stderrPath: String

    /// Starts `program`. Output files (and the stdin file for `input`) go in `directory`, which is
    /// also the working directory unless `workingDirectory` says otherwise. `environment` nil
    /// inherits the test's. `mergingStandardError` sends stderr to the stdout file, interleaved.
    package init(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, directory: String,
        workingDirectory: String? = nil, input: String? = nil, mergingStandardError: Bool = false
    ) throws {
        let id = "\(URL(fileURLWithPath: program).lastPathComponent)-\(UUID().uuidString)"
        stdoutPath = "\(directory)/\(id).out"
        stderrPath = mergingStandardError ? stdoutPath : "\(directory)/\(id).err"
        for path in [stdoutPath, stderrPath] {
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CannotCreate(path: path) }
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory ?? directory)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        process.standardOutput = out
        process.standardError = mergingStandardError ? out : try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        if let input {
            let inPath = "\(directory)/\(id).in"
            try input.write(toFile: inPath, atomically: true, encoding: .utf8)
            process.standardInput = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        try process.run()
    }

    package var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    package var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    package var isRunning: Bool { process.isRunning }
    package var pid: Int32 { process.processIdentifier }

    /// Waits (polling, so no cooperative thread blocks) until the child has exited; false when it
    /// is still running after `timeout`.
    package func waitForExit(timeout: Duration) async -> Bool {
        (try? await eventually(timeout: timeout) { !process.isRunning }) != nil
    }

    /// SIGTERM, then waits for the exit (a `kubectl -w` left running).
    package func stop() async {
        if process.isRunning { process.terminate() }
        _ = await waitForExit(timeout: .seconds(10))
    }

    /// SIGKILL and reap. Children of the test runner inherit its signal mask, in which SIGTERM is
    /// blocked, so a child that does not reset it (Envoy) would outlive a SIGTERM.
    package func kill() {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// The exit status (-1 while running) and the output so far.
    package var result: ProcessRun {
        ProcessRun(status: process.isRunning ? -1 : process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Runs `program` to completion; a child still running after `timeout` is terminated and the
    /// run throws.
    package static func run(
        _ program: String, _ arguments: [String], environment: [String: String]? = nil, directory: String,
        workingDirectory: String? = nil, input: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> ProcessRun {
        let child = try ChildProcess(
            program, arguments, environment: environment, directory: directory, workingDirectory: workingDirectory,
            input: input)
        guard await child.waitForExit(timeout: timeout) else {
            await child.stop()
            throw DidNotFinish(command: ([program] + arguments).joined(separator: " "), timeout: timeout, output: child.result)
        }
        return child.result
    }

    package struct CannotCreate: Error, CustomStringConvertible {
        let path: String
        package var description: String { "cannot create \(path)" }
    }

    package struct DidNotFinish: Error, CustomStringConvertible {
        let command: String
        let timeout: Duration
        let output: ProcessRun
        package var description: String { "\(command) did not finish within \(timeout)\n\(output)" }
    }
}

/// A finished (or stopped) child's exit status and output.
package struct ProcessRun: CustomStringConvertible, Sendable {
    package var status: Int32
    package var stdout: String
    package var stderr: String
    package var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    package var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}
