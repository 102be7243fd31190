import Testing
import PushCore
import XDSModel
import XDSServer
import XDSTransport
import XDSWire
import TestKit

/// State-of-the-world ADS against a live server with a real gRPC client.
@Suite struct StateOfTheWorldTests {
    @Test func wildcardCDSThenACKRecordsTheNodeAndVersion() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details"), Fixtures.cluster("reviews")], endpoints: [])
        let client = try ADSTestClient(port: server.port)

        let response = try await client.subscribe(.cluster, node: Fixtures.node)
        #expect(response.typeURL == .cluster)
        #expect(try Fixtures.names(response) == [Fixtures.clusterName("details"), Fixtures.clusterName("reviews")])
        #expect(!response.nonce.rawValue.isEmpty && !response.versionInfo.rawValue.isEmpty)
        // The ACK gets no response, and the server records it.
        #expect(await client.staysQuiet())
        try await eventually("the ACK recorded") { server.connections().first?.watches[.cluster]?.ackedNonce == response.nonce }

        let connection = try #require(server.connections().first)
        #expect(connection.node?.id == Fixtures.node.id)
        let watch = try #require(connection.watches[.cluster])
        #expect(watch.wildcard)
        #expect(watch.ackedNonce == response.nonce && watch.ackedVersion == response.versionInfo)
        client.close()
        await server.stop()
    }

    @Test func endpointsAreServedByNameAndOnlyChangesTheStreamWatchesArePushed() async throws {
        let server = try XDSServer()
        server.update(
            clusters: [Fixtures.cluster("details"), Fixtures.cluster("reviews")],
            endpoints: [Fixtures.endpoints("details", ["10.0.0.1"]), Fixtures.endpoints("reviews", ["10.0.0.2"])])
        let client = try ADSTestClient(port: server.port)
        let first = try await client.subscribe(.endpoint, names: [Fixtures.clusterName("details")])
        #expect(try Fixtures.names(first) == [Fixtures.clusterName("details")])

        // A change to an assignment this stream does not watch is not sent to it.
        server.update(.endpoint, [
            .endpoint(Fixtures.endpoints("details", ["10.0.0.1"])),
            .endpoint(Fixtures.endpoints("reviews", ["10.0.0.2", "10.0.0.3"])),
        ])
        #expect(await client.staysQuiet())

        // A change to the watched one is, carrying the new endpoints.
        server.update(.endpoint, [
            .endpoint(Fixtures.endpoints("details", ["10.0.0.9"])),
            .endpoint(Fixtures.endpoints("reviews", ["10.0.0.2", "10.0.0.3"])),
        ])
        let pushed = try await client.response()
        let assignment = try pushed.resources[0].unpack(ClusterLoadAssignment.self)
        #expect(assignment.endpoints[0].lbEndpoints.map(\.address.address) == ["10.0.0.9"])
        #expect(pushed.versionInfo != first.versionInfo)
        client.close()
        await server.stop()
    }

    @Test func aNACKKeepsTheLastGoodVersionRecordsTheErrorAndIsNotAnsweredWithTheSameConfig() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let client = try ADSTestClient(port: server.port)
        let good = try await client.subscribe(.cluster, node: Fixtures.node)
        try await eventually { server.connections().first?.watches[.cluster]?.isInSync == true }

        server.update(clusters: [Fixtures.cluster("details"), Fixtures.cluster("bad")], endpoints: [])
        let rejected = try await client.response()
        client.send(DiscoveryRequest(
            versionInfo: good.versionInfo, typeURL: .cluster, responseNonce: rejected.nonce,
            errorDetail: RPCStatus(code: 3, message: "cluster bad: connect_timeout must be > 0")))
        #expect(await client.staysQuiet())
        try await eventually("the NACK recorded") { server.connections().first?.watches[.cluster]?.lastNack != nil }

        let watch = try #require(server.connections().first?.watches[.cluster])
        #expect(watch.lastNack?.message == "cluster bad: connect_timeout must be > 0")
        #expect(watch.ackedVersion == good.versionInfo)
        #expect(server.metrics().nacks["CDS"] == 1)

        // The next change is sent, and its ACK clears the rejection.
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let fixed = try await client.response()
        client.ack(fixed)
        try await eventually { server.connections().first?.watches[.cluster]?.isInSync == true }
        #expect(server.connections().first?.watches[.cluster]?.lastNack == nil)
        client.close()
        await server.stop()
    }

    @Test func aRequestWithAStaleNonceIsIgnored() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let client = try ADSTestClient(port: server.port)
        let first = try await client.subscribe(.cluster)
        server.update(clusters: [Fixtures.cluster("reviews")], endpoints: [])
        let second = try await client.response()
        // An ACK of the superseded response changes nothing and gets no answer.
        client.send(DiscoveryRequest(versionInfo: first.versionInfo, typeURL: .cluster, responseNonce: first.nonce))
        #expect(await client.staysQuiet())
        #expect(server.connections().first?.watches[.cluster]?.sentNonce == second.nonce)
        client.close()
        await server.stop()
    }

    @Test func aGrowingSubscriptionIsAnsweredAndAShrinkingOneIsNot() async throws {
        let server = try XDSServer()
        server.update(clusters: [], endpoints: [
            Fixtures.endpoints("details", ["10.0.0.1"]), Fixtures.endpoints("reviews", ["10.0.0.2"]),
        ])
        let client = try ADSTestClient(port: server.port)
        let details = [Fixtures.clusterName("details")]
        let both = details + [Fixtures.clusterName("reviews")]
        let first = try await client.subscribe(.endpoint, names: details)
        client.send(DiscoveryRequest(
            versionInfo: first.versionInfo, resourceNames: both, typeURL: .endpoint, responseNonce: first.nonce))
        let grown = try await client.response()
        #expect(Set(try Fixtures.names(grown)) == Set(both))
        client.send(DiscoveryRequest(
            versionInfo: grown.versionInfo, resourceNames: details, typeURL: .endpoint, responseNonce: grown.nonce))
        #expect(await client.staysQuiet())
        try await eventually("the smaller subscription recorded") {
            server.connections().first?.watches[.endpoint]?.names == Set(details)
        }
        client.close()
        await server.stop()
    }

    @Test func anUnknownTypeIsAnsweredEmptyAndTheStreamStaysUsable() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let client = try ADSTestClient(port: server.port)
        let odd = TypeURL("type.googleapis.com/envoy.config.nothing.v3.Nothing")
        let empty = try await client.subscribe(odd)
        #expect(empty.typeURL == odd && empty.resources.isEmpty)
        let clusters = try await client.subscribe(.cluster)
        #expect(clusters.resources.count == 1)
        client.close()
        await server.stop()
    }

    @Test func aMalformedMessageEndsOnlyItsStreamWithInvalidArgument() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let healthy = try ADSTestClient(port: server.port)
        _ = try await healthy.subscribe(.cluster)
        let broken = try ADSTestClient(port: server.port)
        broken.sendRaw([0x0a, 0xff, 0xff])  // field 1, length-delimited, length runs off the end
        let status = await broken.status
        #expect(status.code == .invalidArgument)
        #expect(status.message.hasPrefix("malformed DiscoveryRequest"))

        server.update(clusters: [Fixtures.cluster("reviews")], endpoints: [])
        let pushed = try await healthy.response()
        #expect(try Fixtures.names(pushed) == [Fixtures.clusterName("reviews")])
        healthy.close()
        await server.stop()
    }

    @Test func cancelAndDisconnectFreeTheStream() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let leaving = try ADSTestClient(port: server.port)
        _ = try await leaving.subscribe(.cluster)
        let closing = try ADSTestClient(port: server.port)
        _ = try await closing.subscribe(.cluster)
        #expect(server.connections().count == 2)
        leaving.cancel()
        closing.close()
        #expect(await closing.status.code == .ok)
        try await eventually { server.connections().isEmpty && server.metrics().connectedStreams == 0 }
        await server.stop()
    }

    @Test func aProxyReconnectingAfterTheServerRestartsGetsTheFullStateAgain() async throws {
        let first = try XDSServer()
        let port = first.port
        first.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let client = try ADSTestClient(port: port)
        let before = try await client.subscribe(.cluster, node: Fixtures.node)
        await first.stop()
        #expect(await client.status.code != .ok)

        // istiod comes back on the same address; the proxy opens a new stream and says what it
        // holds (version, no nonce), as Envoy does. The new server answers with its whole state.
        let second = try XDSServer(configuration: .init(port: port))
        second.update(clusters: [Fixtures.cluster("details"), Fixtures.cluster("ratings")], endpoints: [])
        let again = try ADSTestClient(port: port)
        again.send(DiscoveryRequest(versionInfo: before.versionInfo, node: Fixtures.node, typeURL: .cluster))
        let full = try await again.response()
        #expect(try Fixtures.names(full) == [Fixtures.clusterName("details"), Fixtures.clusterName("ratings")])
        #expect(second.connections().first?.node?.id == Fixtures.node.id)
        again.close()
        await second.stop()
    }

    @Test func clusterChangesAreFollowedByTheWatchedEndpoints() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [Fixtures.endpoints("details", ["10.0.0.1"])])
        let client = try ADSTestClient(port: server.port)
        _ = try await client.subscribe(.cluster)
        _ = try await client.subscribe(.endpoint, names: [Fixtures.clusterName("details")])
        server.update(.cluster, [.cluster(Fixtures.cluster("details")), .cluster(Fixtures.cluster("ratings"))])
        let cds = try await client.response()
        let eds = try await client.response()
        #expect(cds.typeURL == .cluster && eds.typeURL == .endpoint)
        #expect(try Fixtures.names(eds) == [Fixtures.clusterName("details")])
        client.close()
        await server.stop()
    }
}

/// A request without a type URL says nothing about what it wants: its stream ends with
/// INVALID_ARGUMENT, and every other stream carries on.
struct MissingTypeURLTests {
    @Test(arguments: [false, true])
    func anEmptyTypeURLEndsOnlyItsStream(delta: Bool) async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [])
        let healthy = try ADSTestClient(port: server.port)
        _ = try await healthy.subscribe(.cluster)
        let broken = try ADSTestClient(port: server.port, delta: delta)
        if delta {
            broken.send(DeltaDiscoveryRequest(typeURL: TypeURL("")))
        } else {
            broken.send(DiscoveryRequest(typeURL: TypeURL("")))
        }
        let status = await broken.status
        #expect(status.code == .invalidArgument)
        #expect(status.message == "type URL is required for ADS")

        server.update(clusters: [Fixtures.cluster("reviews")], endpoints: [])
        let pushed = try await healthy.response()
        #expect(try Fixtures.names(pushed) == [Fixtures.clusterName("reviews")])
        healthy.close()
        await server.stop()
    }
}
