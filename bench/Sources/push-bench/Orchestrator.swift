import BenchKit
import Foundation

/// Runs one server process per world × N × server kind, in turn (they would compete for the two
/// cores otherwise), then prints the table and writes the JSON and the SVG chart.
enum Orchestrator {
    static func run(_ options: BenchOptions) async {
        var runs: [RunResult] = []
        for world in options.worlds {
            for streams in options.streams {
                for kind in options.servers {
                    FileHandle.standardError.writeLine("push-bench: \(world) N=\(streams) \(kind)…")
                    let run = await runServer(options, world: world, streams: streams, kind: kind)
                    if let error = run.error { FileHandle.standardError.writeLine("push-bench:   failed: \(error)") }
                    runs.append(run)
                }
            }
        }
        let report = BenchReport(
            machine: shell("/bin/uname", ["-a"]), cores: ProcessInfo.processInfo.activeProcessorCount,
            date: ISO8601DateFormatter().string(from: Date()), runs: runs)
        print(ReportTable.render(report))
        let directory = URL(fileURLWithPath: options.outDirectory)
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let json = directory.appendingPathComponent("push-bench.json")
        let svg = directory.appendingPathComponent("push-bench.svg")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            try encoder.encode(report).write(to: json)
            try Data(ConvergenceChart.render(report).utf8).write(to: svg)
            print("wrote \(json.path) and \(svg.path)")
        } catch {
            FileHandle.standardError.writeLine("push-bench: cannot write results: \(error)")
        }
    }

    static func runServer(_ options: BenchOptions, world: String, streams: Int, kind: String) async -> RunResult {
        let failed = RunResult(
            world: world, streams: streams, streamsPerConnection: options.streamsPerConnection, server: kind,
            openFileLimit: 0, serverRSSBefore: 0, serverRSSConnected: 0, bytesPerStream: 0, clientRSS: 0,
            clientDecodes: 0, scenarios: [], error: nil)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = options.childArguments(role: .server, world: world, streams: streams, server: kind)
        let output = Pipe()
        child.standardOutput = output
        do { try child.run() } catch {
            var r = failed
            r.error = "cannot start the server process: \(error)"
            return r
        }
        var result: RunResult?
        for await line in LineReader(output.fileHandleForReading).lines where line.hasPrefix("result ") {
            result = JSONLine.decode(RunResult.self, line.dropFirst("result ".count))
        }
        child.waitUntilExit()
        if let result { return result }
        var r = failed
        r.error = "the server process exited (status \(child.terminationStatus)) without a result"
        return r
    }

    static func shell(_ path: String, _ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        guard (try? process.run()) != nil else { return "unknown" }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
