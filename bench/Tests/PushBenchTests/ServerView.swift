import BenchKit
import Testing
import XDSModel

/// The server's side of "every proxy has the latest version ACKed": its connections, read until
/// the last ACKs (already sent by the proxies) have been processed.
enum ServerView {
    static func expectInSync(_ server: ControlPlaneServer, streams: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let cds = server.server.snapshot(of: .cluster).version
        let eds = server.server.snapshot(of: .endpoint).version
        func inSync() -> Bool {
            let connections = server.server.connections()
            return connections.count >= streams && connections.allSatisfy { c in
                guard let clusters = c.watches[.cluster] else { return false }
                guard clusters.isInSync, clusters.ackedVersion == cds else { return false }
                // A stuck proxy (never ACKs) is not counted by callers; every other must be in sync.
                guard let endpoints = c.watches[.endpoint] else { return false }
                return endpoints.isInSync && endpoints.ackedVersion == eds
            }
        }
        // Waits for a condition, bounded; the ACKs are in flight on loopback, not timed.
        for _ in 0..<2000 where !inSync() { try await Task.sleep(for: .milliseconds(5)) }
        #expect(inSync(), "every stream ACKed CDS \(cds) and EDS \(eds)", sourceLocation: sourceLocation)
    }
}

extension LoadGenerator {
    /// The connect storm: connects every stream and waits until each has reached `server`'s
    /// initial state, timed from just before connecting.
    func connectStorm(to server: some BenchServer) async throws -> Outcome {
        let since = ProcessReadings.monotonicNanos()
        try connect()
        return await expect(server.initialExpectation(since: since))
    }
}
