import BenchKit
import Foundation

/// The second process: N simulated proxies driven by line commands on stdin, reporting each
/// scenario's outcome as a JSON line on stdout.
///   `connect CDS EDS` — open every stream now and wait until all have these versions;
///   `expect …` (an `Expectation` line) — wait until all have them;
///   `quit` — close every stream and exit.
enum LoadgenRole {
    static func run(_ options: BenchOptions) async {
        ProcessReadings.raiseOpenFileLimit()
        let generator = LoadGenerator(
            target: "127.0.0.1:\(options.port)",
            options: .init(streams: options.streams.first ?? 1, streamsPerConnection: options.streamsPerConnection))
        let out = FileHandle.standardOutput
        for await line in LineReader(FileHandle.standardInput).lines {
            let fields = line.split(separator: " ")
            guard let command = fields.first else { continue }
            switch command {
            case "connect" where fields.count == 3:
                let since = ProcessReadings.monotonicNanos()
                do {
                    try generator.connect()
                } catch {
                    FileHandle.standardError.writeLine("loadgen: \(error)")
                }
                let expectation = Expectation(
                    cds: String(fields[1]), eds: String(fields[2]), freshCDS: true, freshEDS: true, since: since)
                out.writeLine("outcome " + JSONLine.encode(await report(generator, expectation, options)))
            case "expect":
                guard let expectation = Expectation(line: line) else { continue }
                out.writeLine("outcome " + JSONLine.encode(await report(generator, expectation, options)))
            case "quit":
                await generator.close()
                out.writeLine("closed")
                return
            default:
                FileHandle.standardError.writeLine("loadgen: unknown command \(line)")
            }
        }
        await generator.close()
    }

    static func report(_ generator: LoadGenerator, _ expectation: Expectation, _ options: BenchOptions) async -> LoadOutcome {
        let outcome = await generator.expect(expectation, limit: .seconds(options.limitSeconds))
        return LoadOutcome(
            convergence: Percentiles(outcome.convergence), missing: outcome.missing, messages: outcome.messages,
            bytes: outcome.bytes, clientCPU: ProcessReadings.cpuSeconds(), clientRSS: ProcessReadings.residentBytes(),
            decodes: generator.names.decodes)
    }
}
