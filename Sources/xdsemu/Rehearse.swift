import ArgumentParser
import Emulator
import Foundation
import Rehearse

/// `xdsemu rehearse FILE|DIR …`: runs upgrade scenarios unattended, each on a fresh emulated
/// cluster in this process (docs/rehearse.md).
struct RehearseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse",
        abstract: "Run upgrade scenarios (YAML files, or directories of them), each on a fresh emulated cluster.",
        discussion: "Exit status: 0 when every scenario passed, 1 when one failed, 2 when a scenario file was refused.")

    @Argument(help: "Scenario files, or directories whose *.yaml files are scenarios.")
    var paths: [String]

    @Option(help: "Write a JUnit XML report (one testcase per scenario) to this file.")
    var junit: String?

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    @Option(help: "Write an HTML page per scenario (steps and a timeline of proxies per revision) into this directory.")
    var report: String?

    @Flag(help: "Leave a failed scenario's world running and print its KUBECONFIG.")
    var keep = false

    @Option(help: "Run only the scenarios whose name (or file) contains this text.")
    var filter: String?

    @Option(name: .customLong("step-ms"), help: "Milliseconds between the steps of a pod's life (short: quick rehearsals).")
    var stepMilliseconds: Int64 = 50

    func run() async throws {
        guard stepMilliseconds >= 1 else { throw ValidationError("--step-ms must be at least 1, not \(stepMilliseconds)") }
        let (scenarios, errors) = ScenarioLoader.load(paths, filter: filter)
        guard errors.isEmpty else {
            for e in errors { FileHandle.standardError.write(Data("xdsemu rehearse: \(e)\n".utf8)) }
            throw ExitCode(2)
        }
        guard !scenarios.isEmpty else {
            FileHandle.standardError.write(Data("xdsemu rehearse: no scenario matches --filter \(filter ?? "")\n".utf8))
            throw ExitCode(2)
        }
        DescriptorBudget.raiseSoftLimit()
        let runner = RehearsalRunner(
            configuration: .init(xdsemu: Shim.executablePath(), stepMilliseconds: stepMilliseconds, keep: keep)
        ) { line in
            print(line)
            fflush(nil)
        }
        var results: [ScenarioResult] = []
        for scenario in scenarios { results.append(await runner.run(scenario)) }
        let failed = results.count { !$0.passed }
        print("\(results.count) scenario\(results.count == 1 ? "" : "s"): \(results.count - failed) passed, \(failed) failed")
        do {
            for file in [junit, json].compactMap({ $0 }) {
                let parent = URL(fileURLWithPath: file).deletingLastPathComponent()
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            }
            if let junit { try JUnitReport.xml(results).write(toFile: junit, atomically: true, encoding: .utf8) }
            if let json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                try encoder.encode(results).write(to: URL(fileURLWithPath: json))
            }
            if let report {
                try HTMLReport.write(results, to: report)
                print("report: \(URL(fileURLWithPath: report).appendingPathComponent("index.html").standardizedFileURL.path)")
            }
        } catch {
            FileHandle.standardError.write(Data("xdsemu rehearse: cannot write a report: \(error)\n".utf8))
            throw ExitCode.failure
        }
        if failed > 0 { throw ExitCode.failure }
    }
}
