import BenchKit
import Foundation

/// One server process: the control plane (or the raw baseline) for one world, its load generator
/// spawned as a fresh process (posix_spawn through `Process`: never fork after gRPC starts), and
/// the three scenarios in order. Prints one `result` JSON line for the orchestrator.
enum ServerRole {
    static func run(_ options: BenchOptions) async {
        let world = options.worlds.first ?? "bookinfo"
        let streams = options.streams.first ?? 100
        let kind = options.servers.first ?? "xds"
        var result = RunResult(
            world: world, streams: streams, streamsPerConnection: options.streamsPerConnection, server: kind,
            openFileLimit: ProcessReadings.raiseOpenFileLimit(), serverRSSBefore: 0, serverRSSConnected: 0,
            bytesPerStream: 0, clientRSS: 0, clientDecodes: 0, scenarios: [])
        do {
            try await measure(options, world: world, streams: streams, kind: kind, into: &result)
        } catch {
            result.error = "\(error)"
        }
        FileHandle.standardOutput.writeLine("result " + JSONLine.encode(result))
    }

    static func measure(
        _ options: BenchOptions, world name: String, streams: Int, kind: String, into result: inout RunResult
    ) async throws {
        var world = BenchWorld.named(name)!
        let server: any BenchServer =
            kind == "raw"
            ? try RawBaselineServer(world: world)
            : try ControlPlaneServer(world: world, maxSendsInFlight: options.maxSendsInFlight)
        result.serverRSSBefore = ProcessReadings.residentBytes()

        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = options.childArguments(role: .loadgen, world: name, streams: streams, server: kind, port: server.port)
        let input = Pipe(), output = Pipe()
        child.standardInput = input
        child.standardOutput = output
        try child.run()
        var lines = LineReader(output.fileHandleForReading).lines.makeAsyncIterator()

        /// `change` makes the change (inside the CPU measurement) and returns the command to send.
        func scenario(_ scenario: Scenario, change: () -> String) async throws -> ScenarioResult {
            let cpu = ProcessReadings.cpuSeconds()
            let encodings = server.encodings
            let command = change()
            input.fileHandleForWriting.writeLine(command)
            guard let line = await lines.next(), line.hasPrefix("outcome "),
                  let outcome = JSONLine.decode(LoadOutcome.self, line.dropFirst("outcome ".count))
            else { throw BenchFailure("load generator ended during \(scenario.rawValue)") }
            result.clientRSS = outcome.clientRSS
            result.clientDecodes = outcome.decodes
            let seconds = max(outcome.convergence.max, 1e-9)
            return ScenarioResult(
                scenario: scenario, convergence: outcome.convergence, missing: outcome.missing,
                messages: outcome.messages, bytes: outcome.bytes,
                messagesPerSecond: Double(outcome.messages) / seconds,
                megabytesPerSecond: Double(outcome.bytes) / seconds / 1e6,
                serverCPU: ProcessReadings.cpuSeconds() - cpu, clientCPU: outcome.clientCPU, encodings: server.encodings - encodings)
        }

        var previousClientCPU = 0.0
        func record(_ r: ScenarioResult) {
            var r = r
            // The load generator reports its cumulative CPU; keep each scenario's share.
            let cumulative = r.clientCPU
            r.clientCPU = cumulative - previousClientCPU
            previousClientCPU = cumulative
            result.scenarios.append(r)
        }

        let initial = server.initialExpectation(since: 0)
        record(try await scenario(.connectStorm) { "connect \(initial.cds) \(initial.eds)" })
        result.serverRSSConnected = ProcessReadings.residentBytes()
        result.bytesPerStream = max(0, result.serverRSSConnected - result.serverRSSBefore) / streams
        for next in [Scenario.fullPush, .incremental] {
            record(try await scenario(next) { server.apply(next, world: &world).line })
        }
        input.fileHandleForWriting.writeLine("quit")
        _ = await lines.next()
        child.waitUntilExit()
        await server.stop()
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
