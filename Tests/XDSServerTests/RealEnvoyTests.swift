import Foundation
import Testing
import TestKit
import PushCore
import XDSModel
import EnvoyConfig
import XDSServer

/// A real Envoy 1.40 as the ADS client: it must accept what we serve, show it on its admin, ACK
/// it, and NACK (with its own text) a cluster it rejects.
@Suite(.serialized) struct RealEnvoyTests {
    static let details = Fixtures.clusterName("details")

    @Test(arguments: [EnvoyBootstrap.API.stateOfTheWorld, .delta])
    func envoyReceivesOurClusterAndEndpointsAndFollowsChanges(api: EnvoyBootstrap.API) async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [Fixtures.endpoints("details", ["10.1.0.7"])])
        let envoy = try await EnvoyProcess(EnvoyBootstrap(nodeID: Fixtures.node.id, xdsPort: server.port, api: api))
        defer { envoy.stop() }

        // /clusters shows our EDS cluster with the advertised endpoint, and the xds-grpc cluster
        // with the istiod host as its hostname.
        _ = try await envoy.waitFor("/clusters?format=json") { $0.contains("10.1.0.7") }
        let clusters = try await envoy.adminJSON("/clusters?format=json")
        let statuses = clusters["cluster_statuses"] as? [[String: Any]] ?? []
        let ours = try #require(statuses.first { $0["name"] as? String == Self.details })
        let hosts = ours["host_statuses"] as? [[String: Any]] ?? []
        let address = (hosts.first?["address"] as? [String: Any])?["socket_address"] as? [String: Any]
        #expect(address?["address"] as? String == "10.1.0.7")
        let xds = try #require(statuses.first { $0["name"] as? String == "xds-grpc" })
        let xdsHost = (xds["host_statuses"] as? [[String: Any]])?.first
        #expect(xdsHost?["hostname"] as? String == "istiod.istio-system.svc")

        // /config_dump has the cluster as a dynamic active cluster with our version.
        let version = server.snapshot(of: .cluster).version.rawValue
        let dump = try await envoy.admin("/config_dump")
        #expect(dump.contains("\"dynamic_active_clusters\""))
        #expect(dump.contains(Self.details))
        #expect(dump.contains("\"version_info\": \"\(version)\""))

        // Envoy ACKed both types, from the node in its bootstrap.
        try await eventually {
            let c = server.connections().first
            return c?.watches[.cluster]?.isInSync == true && c?.watches[.endpoint]?.isInSync == true
        }
        let connection = try #require(server.connections().first)
        #expect(connection.kind == (api == .delta ? .delta : .stateOfTheWorld))
        #expect(connection.node?.id == Fixtures.node.id)
        #expect(connection.node?.userAgentName == "envoy")

        // A snapshot change reaches it.
        server.update(.endpoint, [.endpoint(Fixtures.endpoints("details", ["10.1.0.8", "10.1.0.9"]))])
        _ = try await envoy.waitFor("/clusters?format=json") { $0.contains("10.1.0.9") && !$0.contains("10.1.0.7") }
        await server.stop()
    }

    @Test func aClusterEnvoyRejectsIsRecordedAsANACKWithEnvoysText() async throws {
        let server = try XDSServer()
        server.update(clusters: [Fixtures.cluster("details")], endpoints: [Fixtures.endpoints("details", ["10.1.0.7"])])
        let envoy = try await EnvoyProcess(EnvoyBootstrap(xdsPort: server.port))
        defer { envoy.stop() }
        try await eventually { server.connections().first?.watches[.cluster]?.isInSync == true }
        let good = try #require(server.connections().first?.watches[.cluster]?.ackedVersion)

        // Envoy requires connect_timeout > 0.
        var bad = Fixtures.cluster("ratings")
        bad.connectTimeout = ProtoDuration(seconds: -1)
        server.update(.cluster, [.cluster(Fixtures.cluster("details")), .cluster(bad)])
        try await eventually { server.connections().first?.watches[.cluster]?.lastNack != nil }
        let watch = try #require(server.connections().first?.watches[.cluster])
        let message = watch.lastNack?.message ?? ""
        // Envoy's own words, from converting the resource (it rejects the negative duration
        // before it validates the cluster).
        #expect(message.contains("Expected positive duration"))
        #expect(watch.ackedVersion == good)
        #expect(server.metrics().nacks["CDS"] == 1)
        // Not re-sent: one CDS push after the initial one, however long Envoy stays connected.
        // Barrier instead of a sleep: Envoy ACKs a later EDS change on the same stream, and the
        // server handles a stream's requests in order, so whatever Envoy sent after its NACK has
        // been seen (and any re-send it caused counted) once that ACK is recorded.
        server.update(.endpoint, [.endpoint(Fixtures.endpoints("details", ["10.1.0.8"]))])
        let endpoints = server.snapshot(of: .endpoint).version
        try await eventually { server.connections().first?.watches[.endpoint]?.ackedVersion == endpoints }
        #expect(server.metrics().pushes["CDS"] == 2)
        await server.stop()
    }
}
