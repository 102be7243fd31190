import Testing
import PushCore
import XDSModel
import XDSServer
import XDSTransport
import XDSWire
import TestKit

/// Peers that never read (HTTP/2 window zero): their sends never complete. However many stall,
/// they never hold the global send slots the healthy streams need, and they do not stay forever.
@Suite(.serialized) struct StalledPeerTests {
    static func server(endStreamAfter: Duration, limits: TransportServer.Limits = .init()) throws -> XDSServer {
        let server = try XDSServer(configuration: .init(
            maxSendsInFlight: 2, stalls: StallPolicy(releaseSlotAfter: .milliseconds(100), endStreamAfter: endStreamAfter),
            transport: limits))
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        return server
    }

    /// Starts a peer with `streams` stalled streams and waits until the server has started a send
    /// to each (a send that will never complete).
    static func stall(_ streams: Int, on server: XDSServer) async throws -> StalledPeer {
        let peer = try StalledPeer.start(port: server.port, streams: streams, request: DiscoveryRequest(typeURL: .cluster))
        try await eventually("\(server.connections().count) streams") {
            server.connections().filter { $0.watches[.cluster]?.sentNonce != nil }.count == streams
        }
        return peer
    }

    @Test func threeStalledStreamsDoNotStopFiveHealthyOnesFromConverging() async throws {
        let server = try Self.server(endStreamAfter: .seconds(60))
        let stalled = try await Self.stall(3, on: server)
        #expect(server.metrics().stalledSends >= 2)

        var healthy: [ADSTestClient] = []
        for _ in 0..<5 {
            let client = try ADSTestClient(port: server.port)
            #expect(try await client.subscribe(.cluster).resources.count == 1)
            healthy.append(client)
        }
        server.update(clusters: [Fixtures.cluster("reviews")], endpoints: [])
        for client in healthy {
            let pushed = try await client.response()
            #expect(try Fixtures.names(pushed) == [Fixtures.clusterName("reviews")])
            client.ack(pushed)
        }
        try await eventually { server.connections().filter { $0.watches[.cluster]?.isInSync == true }.count == 5 }
        // Every stalled stream is still connected, still waiting for its first response.
        #expect(server.connections().count == 8)
        #expect(server.connections().filter { $0.watches[.cluster]?.isInSync != true }.count == 3)
        try await eventually { server.metrics().stalledStreams == 3 }
        for client in healthy { client.close() }
        await stalled.stop()
        await server.stop()
    }

    @Test func streamsStalledPastTheLimitAreEndedAndCounted() async throws {
        let server = try Self.server(endStreamAfter: .milliseconds(300))
        let healthy = try ADSTestClient(port: server.port)
        _ = try await healthy.subscribe(.cluster)
        let stalled = try await Self.stall(3, on: server)
        try await eventually { server.connections().count == 1 && server.metrics().stalledStreamsEnded == 3 }
        #expect(server.metrics().stalledStreams == 0)
        server.update(clusters: [Fixtures.cluster("reviews")], endpoints: [])
        #expect(try Fixtures.names(try await healthy.response()) == [Fixtures.clusterName("reviews")])
        healthy.close()
        await stalled.stop()
        await server.stop()
    }

    @Test func keepaliveDropsAPeerThatStoppedReading() async throws {
        let limits = TransportServer.Limits(keepaliveTime: .milliseconds(200), keepaliveTimeout: .milliseconds(200))
        let server = try Self.server(endStreamAfter: .seconds(60), limits: limits)
        let stalled = try await Self.stall(1, on: server)
        try await eventually { server.connections().isEmpty }
        #expect(server.metrics().stalledStreamsEnded == 0)
        await stalled.stop()
        await server.stop()
    }
}
