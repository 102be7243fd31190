import Testing
import TestKit
import PushCore
import XDSModel
import XDSServer
import XDSTransport
import XDSWire

/// Delta (incremental) ADS against a live server with a real gRPC client.
@Suite struct DeltaTests {
    @Test func deltaSendsEverythingFirstThenOnlyWhatChangedAndWhatWasRemoved() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details"), Fixtures.cluster("reviews")], endpoints: [])
        let client = try ADSTestClient(port: server.port, delta: true)
        client.send(DeltaDiscoveryRequest(node: Fixtures.node, typeURL: .cluster, resourceNamesSubscribe: ["*"]))
        let initial = try await client.deltaResponse()
        #expect(Set(initial.resources.map(\.name)) == [Fixtures.clusterName("details"), Fixtures.clusterName("reviews")])
        client.send(DeltaDiscoveryRequest(typeURL: .cluster, responseNonce: initial.nonce))

        var changed = Fixtures.cluster("reviews")
        changed.connectTimeout = ProtoDuration(seconds: 3)
        server.update(.cluster, [.cluster(changed), .cluster(Fixtures.cluster("ratings"))])
        let delta = try await client.deltaResponse()
        #expect(Set(delta.resources.map(\.name)) == [Fixtures.clusterName("reviews"), Fixtures.clusterName("ratings")])
        #expect(delta.removedResources == [Fixtures.clusterName("details")])
        client.send(DeltaDiscoveryRequest(typeURL: .cluster, responseNonce: delta.nonce))
        try await eventually { server.connections().first?.watches[.cluster]?.isInSync == true }
        client.close()
        await server.stop()
    }

    @Test func initialResourceVersionsAreNotSentAgain() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details"), Fixtures.cluster("reviews")], endpoints: [])
        // A first client learns the versions, as a proxy would before its istiod restarted.
        let first = try ADSTestClient(port: server.port, delta: true)
        first.send(DeltaDiscoveryRequest(typeURL: .cluster, resourceNamesSubscribe: ["*"]))
        let known = try await first.deltaResponse()
        first.close()

        let reconnecting = try ADSTestClient(port: server.port, delta: true)
        let details = try #require(known.resources.first { $0.name == Fixtures.clusterName("details") })
        reconnecting.send(DeltaDiscoveryRequest(
            typeURL: .cluster, resourceNamesSubscribe: ["*"],
            initialResourceVersions: [details.name: details.version.rawValue, "gone": "1"]))
        let response = try await reconnecting.deltaResponse()
        #expect(response.resources.map(\.name) == [Fixtures.clusterName("reviews")])
        #expect(response.removedResources == ["gone"])
        reconnecting.close()
        await server.stop()
    }

    @Test func endpointsByNameFollowSubscribeAndUnsubscribe() async throws {
        let server = try XDSServer()
        server.update(clusters: [], endpoints: [
            Fixtures.endpoints("details", ["10.0.0.1"]), Fixtures.endpoints("reviews", ["10.0.0.2"]),
        ])
        let client = try ADSTestClient(port: server.port, delta: true)
        client.send(DeltaDiscoveryRequest(typeURL: .endpoint, resourceNamesSubscribe: [Fixtures.clusterName("details")]))
        let first = try await client.deltaResponse()
        #expect(first.resources.map(\.name) == [Fixtures.clusterName("details")])
        client.send(DeltaDiscoveryRequest(
            typeURL: .endpoint, resourceNamesSubscribe: [Fixtures.clusterName("reviews")],
            resourceNamesUnsubscribe: [Fixtures.clusterName("details")], responseNonce: first.nonce))
        let second = try await client.deltaResponse()
        #expect(second.resources.map(\.name) == [Fixtures.clusterName("reviews")])
        client.send(DeltaDiscoveryRequest(typeURL: .endpoint, responseNonce: second.nonce))
        // details is no longer watched: its change is not sent.
        server.update(.endpoint, [
            .endpoint(Fixtures.endpoints("details", ["10.0.0.5"])), .endpoint(Fixtures.endpoints("reviews", ["10.0.0.2"])),
        ])
        #expect(await client.staysQuiet())
        client.close()
        await server.stop()
    }

    @Test func aMalformedDeltaRequestEndsItsStreamWithInvalidArgument() async throws {
        let server = try XDSServer()
        let client = try ADSTestClient(port: server.port, delta: true)
        client.sendRaw([0xff])
        let status = await client.status
        #expect(status.code == .invalidArgument)
        #expect(status.message.hasPrefix("malformed DeltaDiscoveryRequest"))
        await server.stop()
    }
}
