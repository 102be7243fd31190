import BenchKit
import Foundation
import Testing
import XDSModel
import XDSWire

/// A proxy that stops reading must not hold up the others. Two kinds: one whose HTTP/2 receive
/// window is zero (the server's sends to it never complete, so it holds a send slot for good), and
/// proxies that read but never ACK.
@Suite("slow consumers", .timeLimit(.minutes(2)))
struct SlowConsumerTests {
    @Test("a stream that does not read holds only its own send slot")
    func nonReadingStream() async throws {
        var world = BenchWorld.bookinfo
        // Two slots: the stuck stream holds one; everyone else must get through the other.
        let server = try ControlPlaneServer(world: world, maxSendsInFlight: 2)
        let stuck = try StuckClient.start(port: server.port)
        defer { stuck.terminate() }
        // Wait until the server has started its (never-completing) send to the stuck stream.
        for _ in 0..<2000 where !server.server.connections().contains(where: { $0.watches[.cluster]?.sentNonce != nil }) {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(server.server.connections().count == 1)

        let proxies = LoadGenerator(target: "127.0.0.1:\(server.port)", options: .init(streams: 20))
        #expect(try await proxies.connectStorm(to: server).missing == 0)
        for scenario in [Scenario.fullPush, .incremental] {
            #expect(await proxies.expect(server.apply(scenario, world: &world)).missing == 0, "\(scenario)")
        }
        // The stuck stream still has not ACKed anything.
        let connections = server.server.connections()
        #expect(connections.count == 21)
        #expect(connections.filter { $0.watches[.cluster]?.isInSync != true }.count == 1)
        stuck.terminate()
        await proxies.close()
        await server.stop()
    }

    @Test("proxies that never ACK do not hold up the others")
    func nonAckingProxies() async throws {
        var world = BenchWorld.large(services: 20, endpoints: 2)
        let server = try ControlPlaneServer(world: world, maxSendsInFlight: 2)
        let proxies = LoadGenerator(target: "127.0.0.1:\(server.port)", options: .init(streams: 20, silent: [0, 7]))
        let storm = try await proxies.connectStorm(to: server)
        #expect(storm.missing == 0)
        #expect(storm.convergence.count == 18)
        let outcome = await proxies.expect(server.apply(.fullPush, world: &world))
        #expect(outcome.missing == 0)
        #expect(proxies.proxy(0).cds == nil)
        await proxies.close()
        await server.stop()
    }
}

/// A client that opens one ADS stream with an HTTP/2 receive window of zero and then never reads:
/// the server can send it headers but no message. Raw HTTP/2 from python3 (the gRPC client always
/// reads), so no unsafe socket code is needed in Swift: `tests/h2/never_reading_peer.py`.
struct StuckClient {
    let process: Process
    /// Closing it tells the client to exit (it waits on stdin, at most 60 s).
    let stdin: Pipe

    static func start(port: Int) throws -> StuckClient {
        let request = DiscoveryRequest(typeURL: .cluster).wireBytes()
        let hex = request.map { String(format: "%02x", $0) }.joined()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        // The script lives in the main package (`tests/h2/`), two levels above this package's tests.
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appending(path: "tests/h2/never_reading_peer.py")
        process.arguments = ["python3", script.path, String(port), hex, AggregatedDiscoveryService.streamAggregatedResourcesPath]
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        return StuckClient(process: process, stdin: stdin)
    }

    func terminate() {
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }
}
