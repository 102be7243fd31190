import BenchKit

/// What the load generator reports after each scenario (one JSON line on its stdout).
struct LoadOutcome: Codable, Sendable {
    var convergence: Percentiles
    var missing: Int
    var messages: Int
    var bytes: Int
    /// The load generator's cumulative CPU seconds and RSS: what N simulated proxies cost.
    var clientCPU: Double
    var clientRSS: Int
    /// CDS payloads fully decoded so far (once per distinct payload, whatever N).
    var decodes: Int
}

/// One scenario against one server.
struct ScenarioResult: Codable, Sendable {
    var scenario: Scenario
    /// Seconds from the change to each proxy having ACKed it.
    var convergence: Percentiles
    var missing: Int
    var messages: Int
    var bytes: Int
    /// Throughput over the scenario: messages (bytes) delivered ÷ time until the last proxy converged.
    var messagesPerSecond: Double
    var megabytesPerSecond: Double
    var serverCPU: Double
    var clientCPU: Double
    /// Resources encoded by the server during the scenario.
    var encodings: Int
}

/// One server process's run: a world, N streams, one kind of server, every scenario.
struct RunResult: Codable, Sendable {
    var world: String
    var streams: Int
    var streamsPerConnection: Int
    /// `xds` (xdsemu's XDSServer) or `raw` (the transport pushing pre-encoded bytes).
    var server: String
    var openFileLimit: Int
    var serverRSSBefore: Int
    var serverRSSConnected: Int
    var bytesPerStream: Int
    var clientRSS: Int
    var clientDecodes: Int
    var scenarios: [ScenarioResult]
    var error: String?
}

/// The whole bench: every run, and the machine.
struct BenchReport: Codable, Sendable {
    var machine: String
    var cores: Int
    var date: String
    var runs: [RunResult]
}
