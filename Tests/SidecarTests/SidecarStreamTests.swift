import Foundation
import TestKit
import Testing
import Sidecar
import XDSModel
import XDSServer

/// A sidecar against a live XDSServer on a loopback port: connect, ACK, pushes, NACK, reconnect.
@Suite(.timeLimit(.minutes(1))) struct SidecarStreamTests {
    /// The sidecar holds exactly what the server serves, and the server sees both types ACKed.
    static func inSync(_ s: SidecarSnapshot, clusters: Int, endpoints: Int) -> Bool {
        s.connection.isConnected && s.config.clusters.count == clusters && s.config.endpoints.count == endpoints
            && s.clusters.ackCount > 0 && s.endpoints.ackCount > 0
    }

    /// The server counts the one stream's CDS, EDS and LDS (no listeners here: an empty set) as ACKed.
    static func serverInSync(_ server: XDSServer) -> Bool {
        guard let connection = server.connections().first, connection.watches.count == 3 else { return false }
        return connection.watches.values.allSatisfy(\.isInSync)
    }

    /// A live server serving bookinfo and a sidecar in sync with it.
    func withSyncedSidecar(
        _ body: (XDSServer, Sidecar, [Cluster], [ClusterLoadAssignment]) async throws -> Void
    ) async throws {
        try await withServer { server in
            let (clusters, endpoints) = Fixtures.bookinfo()
            server.update(clusters: clusters, endpoints: endpoints)
            let sidecar = try Fixtures.startSidecar(port: server.port)
            #expect(await sidecar.waitUntil { Self.inSync($0, clusters: 2, endpoints: 2) })
            try await body(server, sidecar, clusters, endpoints)
        }
    }

    @Test func connectsACKsAndHoldsWhatItReceived() async throws {
        try await withSyncedSidecar { server, sidecar, clusters, endpoints in
            let s = sidecar.snapshot()
            for cluster in clusters { #expect(s.config.clusters[cluster.name]?.cluster == cluster) }
            for assignment in endpoints { #expect(s.config.endpoints[assignment.clusterName]?.assignment == assignment) }
            #expect(s.config.clustersVersion == server.snapshot(of: .cluster).version)
            #expect(s.config.endpointsVersion == server.snapshot(of: .endpoint).version)

            // The server sees this proxy, with its node, and both types in sync.
            try await eventually { Self.serverInSync(server) }
            let connection = try #require(server.connections().first)
            #expect(connection.node?.id == sidecar.bootstrap.nodeID)
            #expect(connection.node?.metadataString("ISTIO_VERSION") == "1.6.0")
            #expect(connection.node?.metadataString("NAME") == Fixtures.pod.name)
            #expect(connection.node?.metadataString("NAMESPACE") == "default")
            #expect(connection.node?.metadata["LABELS"] == .structure(["app": .string("details"), "version": .string("v1")]))
            #expect(connection.watches[.cluster]?.wildcard == true)
            #expect(connection.watches[.endpoint]?.names == Set(clusters.map(\.name)))
            #expect(connection.watches[.cluster]?.ackedVersion == s.config.clustersVersion)
            await sidecar.stop()
        }
    }

    @Test func pushesReachTheSidecar() async throws {
        try await withSyncedSidecar { server, sidecar, clusters, endpoints in

            // Endpoints move (a rollout): only EDS changes.
            let (_, moved) = Fixtures.bookinfo(detailsIPs: ["10.44.1.1", "10.44.1.2"])
            server.update(clusters: clusters, endpoints: moved)
            let details = MeshFixtures.outbound("details")
            #expect(await sidecar.waitUntil {
                $0.config.endpoints[details]?.assignment.endpoints.first?.lbEndpoints.count == 2
            })

            // A new service: CDS grows, the sidecar subscribes to its endpoints too.
            let ratings = MeshFixtures.outbound("ratings")
            server.update(
                clusters: clusters + [MeshFixtures.edsCluster(ratings)],
                endpoints: moved + [MeshFixtures.assignment(ratings, ips: ["10.44.0.30"])])
            #expect(await sidecar.waitUntil { Self.inSync($0, clusters: 3, endpoints: 3) })
            #expect(sidecar.snapshot().endpoints.resourceNames == [details, ratings, MeshFixtures.outbound("reviews")])

            // A service goes away: its cluster and endpoints are dropped.
            server.update(clusters: [MeshFixtures.edsCluster(ratings)], endpoints: [MeshFixtures.assignment(ratings, ips: ["10.44.0.30"])])
            #expect(await sidecar.waitUntil { $0.config.clusters.count == 1 && $0.config.endpoints.count == 1 })
            await sidecar.stop()
        }
    }

    @Test func nackedClustersLeaveTheLastGoodStateAndTheServerRecordsIt() async throws {
        try await withSyncedSidecar { server, sidecar, clusters, endpoints in
            // Let the server record the first ACKs: an ACK that crosses the next push carries a
            // superseded nonce and is ignored, as the protocol says.
            try await eventually { Self.serverInSync(server) }
            let good = sidecar.snapshot().config

            // A cluster Envoy refuses: connect_timeout must be > 0.
            let bad = Cluster(name: "outbound|80||bad.default.svc.cluster.local", type: .eds,
                              connectTimeout: ProtoDuration(seconds: 0))
            server.update(clusters: clusters + [bad], endpoints: endpoints)
            #expect(await sidecar.waitUntil { $0.clusters.lastNack != nil })
            let s = sidecar.snapshot()
            #expect(s.config == good, "a rejected response changes nothing")
            #expect(s.clusters.acceptedVersion == good.clustersVersion)
            let message = try #require(s.clusters.lastNack?.message)
            #expect(message.contains("ConnectTimeout: value must be greater than 0s"))

            // The server recorded the NACK on this stream, and still counts the old version as ACKed.
            try await eventually { server.connections().first?.watches[.cluster]?.lastNack != nil }
            let watch = try #require(server.connections().first?.watches[.cluster])
            #expect(watch.lastNack == RPCStatus(code: 13, message: message))
            #expect(watch.ackedVersion == good.clustersVersion)
            #expect(!watch.isInSync)

            // Fixing the config is accepted and clears the NACK on both sides.
            server.update(clusters: clusters, endpoints: endpoints)
            #expect(await sidecar.waitUntil { $0.clusters.lastNack == nil && $0.clusters.ackCount >= 2 })
            try await eventually { server.connections().first?.watches[.cluster]?.lastNack == nil }
            await sidecar.stop()
        }
    }

    @Test func reconnectsWithBackoffAndResyncsWhenTheServerReturns() async throws {
        let (clusters, endpoints) = Fixtures.bookinfo()
        let first = try XDSServer(configuration: .init(port: 0))
        let port = first.port
        first.update(clusters: clusters, endpoints: endpoints)
        let sidecar = try Fixtures.startSidecar(port: port)
        #expect(await sidecar.waitUntil { Self.inSync($0, clusters: 2, endpoints: 2) })
        #expect(sidecar.snapshot().streamsOpened == 1)

        // istiod goes away: the stream ends, the proxy keeps its config and retries.
        await first.stop()
        #expect(await sidecar.waitUntil { $0.connection.isDisconnected })
        #expect(sidecar.snapshot().config.clusters.count == 2, "config survives the disconnect")

        // It comes back on the same port, with new config: the proxy reconnects and resyncs.
        let second = try XDSServer(configuration: .init(port: port))
        let ratings = MeshFixtures.outbound("ratings")
        second.update(
            clusters: clusters + [MeshFixtures.edsCluster(ratings)],
            endpoints: endpoints + [MeshFixtures.assignment(ratings, ips: ["10.44.0.30"])])
        #expect(await sidecar.waitUntil(timeout: .seconds(20)) { Self.inSync($0, clusters: 3, endpoints: 3) })
        let s = sidecar.snapshot()
        #expect(s.streamsOpened >= 2)
        #expect(s.config.clustersVersion == second.snapshot(of: .cluster).version)
        try await eventually {
            second.connections().count == 1 && second.connections()[0].watches.values.allSatisfy(\.isInSync)
        }
        await sidecar.stop()
        await second.stop()
    }

    @Test func stopClosesTheStream() async throws {
        try await withServer { server in
            let (clusters, endpoints) = Fixtures.bookinfo()
            server.update(clusters: clusters, endpoints: endpoints)
            let sidecar = try Fixtures.startSidecar(port: server.port)
            #expect(await sidecar.waitUntil { $0.connection.isConnected })
            try await eventually { server.connections().count == 1 }
            await sidecar.stop()
            #expect(sidecar.snapshot().connection == .stopped)
            try await eventually { server.connections().isEmpty }
            await sidecar.stop()  // idempotent
        }
    }

    @Test func manySidecarsEachHaveTheirOwnStream() async throws {
        try await withServer { server in
            let (clusters, endpoints) = Fixtures.bookinfo()
            server.update(clusters: clusters, endpoints: endpoints)
            var sidecars: [Sidecar] = []
            for i in 0..<7 {
                let pod = SidecarBootstrap.Pod(name: "pod-\(i)", namespace: "default", ip: "10.44.0.\(20 + i)")
                sidecars.append(try Fixtures.startSidecar(port: server.port, pod: pod))
            }
            for sidecar in sidecars {
                #expect(await sidecar.waitUntil { Self.inSync($0, clusters: 2, endpoints: 2) })
            }
            try await eventually { server.connections().count == 7 }
            #expect(Set(server.connections().compactMap { $0.node?.id }).count == 7)
            for sidecar in sidecars { await sidecar.stop() }
        }
    }
}
