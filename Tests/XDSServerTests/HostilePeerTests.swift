import Testing
import PushCore
import XDSModel
import XDSServer
import XDSTransport
import XDSWire
import TestKit

/// Peers that invent types, send too much, NACK forever, leave without a word or never read: only
/// the offending stream is affected, the server keeps nothing for them, and every other proxy
/// keeps converging.
@Suite struct HostilePeerTests {
    @Test func tenThousandInventedTypesLeaveNoStateAndNoMetricsBehind() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let inventor = try ADSTestClient(port: server.port)
        _ = try await inventor.subscribe(.cluster)
        let before = server.metrics().prometheusText()
        // Sent in batches, each read back, so the test also shows every one is answered.
        for batch in 0..<10 {
            let types = (0..<1000).map { TypeURL("type.googleapis.com/invented.v\(batch * 1000 + $0).Thing") }
            for type in types { inventor.send(DiscoveryRequest(typeURL: type)) }
            for type in types {
                let answer = try await inventor.response()
                #expect(answer.typeURL == type && answer.resources.isEmpty)
            }
        }
        let connection = try #require(server.connections().first)
        #expect(Array(connection.watches.keys) == [.cluster])
        let after = server.metrics().prometheusText()
        #expect(server.metrics().unknownTypeRequests == 10_000)
        // The exposition has the same lines as before, and none names an invented type.
        #expect(after.split(separator: "\n").count == before.split(separator: "\n").count)
        #expect(!after.contains("invented"))

        // The same stream and a new one still converge.
        let other = try ADSTestClient(port: server.port)
        _ = try await other.subscribe(.cluster)
        server.update(clusters: [Fixtures.cluster("reviews")], endpoints: [])
        for client in [inventor, other] {
            #expect(try Fixtures.names(try await client.response()) == [Fixtures.clusterName("reviews")])
        }
        inventor.close()
        other.close()
        await server.stop()
    }

    @Test func anOversizedMessageEndsOnlyItsStreamWithResourceExhausted() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let healthy = try ADSTestClient(port: server.port)
        _ = try await healthy.subscribe(.cluster)
        let big = try ADSTestClient(port: server.port)
        // Over gRPC's 4 MiB receive limit: 100,000 names of about 50 bytes.
        let names = (0..<100_000).map { "outbound|9080||service-\($0).default.svc.cluster.local" }
        big.send(DiscoveryRequest(resourceNames: names, typeURL: .endpoint))
        #expect(await big.status.code == .resourceExhausted)

        server.update(clusters: [Fixtures.cluster("reviews")], endpoints: [])
        #expect(try Fixtures.names(try await healthy.response()) == [Fixtures.clusterName("reviews")])
        try await eventually { server.connections().count == 1 }
        healthy.close()
        await server.stop()
    }

    @Test func aThousandNACKsGetNoResendAndOthersConverge() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let healthy = try ADSTestClient(port: server.port)
        _ = try await healthy.subscribe(.cluster)
        let rejecting = try ADSTestClient(port: server.port)
        rejecting.send(DiscoveryRequest(typeURL: .cluster))
        let rejected = try await rejecting.response()
        for i in 0..<1000 {
            rejecting.send(DiscoveryRequest(
                typeURL: .cluster, responseNonce: rejected.nonce, errorDetail: RPCStatus(code: 3, message: "no \(i)")))
        }
        try await eventually { server.metrics().nacks["CDS"] == 1000 }
        #expect(await rejecting.staysQuiet())
        let watch = try #require(server.connections().last?.watches[.cluster])
        #expect(watch.sentNonce == rejected.nonce && watch.lastNack?.message == "no 999")

        server.update(clusters: [Fixtures.cluster("reviews")], endpoints: [])
        for client in [healthy, rejecting] {
            #expect(try Fixtures.names(try await client.response()) == [Fixtures.clusterName("reviews")])
        }
        healthy.close()
        rejecting.close()
        await server.stop()
    }

    @Test func fiveHundredAbandonedStreamsLeaveNothingBehind() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let channel = try ClientChannel(target: "127.0.0.1:\(server.port)")
        var calls: [ClientCall] = []
        for _ in 0..<500 {
            let call = try channel.makeCall(method: AggregatedDiscoveryService.streamAggregatedResourcesPath)
            call.send(DiscoveryRequest(typeURL: .cluster).wireBytes())
            calls.append(call)
        }
        try await eventually { server.connections().count == 500 }
        for call in calls { call.cancel() }
        try await eventually { server.connections().isEmpty && server.metrics().connectedStreams == 0 }
        #expect(server.metrics().pushes["CDS"] ?? 0 <= 500)

        let later = try ADSTestClient(port: server.port)
        #expect(try await later.subscribe(.cluster).resources.count == 1)
        later.close()
        await server.stop()
    }
}
