import Foundation
import TestKit
import Testing
@testable import Sidecar
import XDSModel
import XDSWire

/// The proxy's half of SotW ADS as a pure state machine: which requests follow which response.
@Suite struct ADSExchangeTests {
    let t0 = Date(timeIntervalSince1970: 1_700_000_000)

    func exchange() -> ADSExchange { ADSExchange(node: Fixtures.bootstrap(port: 1).node) }

    /// A started exchange that accepted bookinfo's CDS (version 1, nonce a) and, with `endpoints`,
    /// its EDS (version 2, nonce b).
    func holdingBookinfo(endpoints withEndpoints: Bool = true) -> (ADSExchange, [Cluster], [ClusterLoadAssignment]) {
        var x = exchange()
        _ = x.streamStarted()
        let (clusters, endpoints) = Fixtures.bookinfo()
        _ = x.receive(cds(clusters, version: "1", nonce: "a"), at: t0)
        if withEndpoints { _ = x.receive(eds(endpoints, version: "2", nonce: "b"), at: t0) }
        return (x, clusters, endpoints)
    }

    func cds(_ clusters: [Cluster], version: String, nonce: String) -> DiscoveryResponse {
        DiscoveryResponse(
            versionInfo: ResourceVersion(version), resources: clusters.map { AnyMessage(packing: $0) },
            typeURL: .cluster, nonce: Nonce(nonce))
    }

    func eds(_ assignments: [ClusterLoadAssignment], version: String, nonce: String) -> DiscoveryResponse {
        DiscoveryResponse(
            versionInfo: ResourceVersion(version), resources: assignments.map { AnyMessage(packing: $0) },
            typeURL: .endpoint, nonce: Nonce(nonce))
    }

    @Test func firstRequestIsWildcardCDSWithTheNode() {
        var x = exchange()
        let out = x.streamStarted()
        #expect(out.count == 1)
        #expect(out[0].typeURL == .cluster)
        #expect(out[0].resourceNames.isEmpty)
        #expect(out[0].versionInfo == .none && out[0].responseNonce == .none)
        #expect(out[0].node?.id == "sidecar~10.44.0.9~details-v1-7bc48f795d-2fwzr.default~default.svc.cluster.local")
        #expect(out[0].node?.metadataString("ISTIO_VERSION") == "1.6.0")
    }

    @Test func acceptedCDSSubscribesEDSBeforeItsACK() {
        var x = exchange()
        _ = x.streamStarted()
        let (clusters, _) = Fixtures.bookinfo()
        let out = x.receive(cds(clusters, version: "1", nonce: "a"), at: t0)
        #expect(out.map(\.typeURL) == [.endpoint, .cluster])
        #expect(out[0].resourceNames == clusters.map(\.name).sorted())
        #expect(out[0].node == nil, "the node goes on the first request of a stream only")
        #expect(out[1].versionInfo == ResourceVersion("1") && out[1].responseNonce == Nonce("a"))
        #expect(out[1].errorDetail == nil)
        #expect(x.config.clusters.count == 2 && x.config.clustersVersion == ResourceVersion("1"))
    }

    @Test func edsACKRepeatsTheNamesAndStoresOnlyWhatWasAskedFor() {
        let (held, clusters, endpoints) = holdingBookinfo(endpoints: false)
        var x = held
        let stray = MeshFixtures.assignment("outbound|1||nobody", ips: ["10.0.0.1"])
        let out = x.receive(eds(endpoints + [stray], version: "2", nonce: "b"), at: t0)
        // The clusters are warm: the ACK, then the first LDS request (wildcard).
        #expect(out.count == 2)
        #expect(out[1].typeURL == .listener && out[1].resourceNames.isEmpty && out[1].responseNonce == .none)
        #expect(out[0].typeURL == .endpoint && out[0].responseNonce == Nonce("b"))
        #expect(out[0].versionInfo == ResourceVersion("2"))
        #expect(out[0].resourceNames == clusters.map(\.name).sorted())
        #expect(Set(x.config.endpoints.keys) == Set(clusters.map(\.name)))
        #expect(x.config.endpoints.values.allSatisfy { $0.versionInfo == ResourceVersion("2") })
    }

    @Test func partialEDSKeepsTheOtherAssignments() {
        let (held, _, _) = holdingBookinfo()
        var x = held
        let moved = MeshFixtures.assignment(MeshFixtures.outbound("details"), ips: ["10.44.0.99"])
        _ = x.receive(eds([moved], version: "3", nonce: "c"), at: t0)
        #expect(x.config.endpoints[MeshFixtures.outbound("details")]?.assignment == moved)
        #expect(x.config.endpoints[MeshFixtures.outbound("details")]?.versionInfo == ResourceVersion("3"))
        #expect(x.config.endpoints[MeshFixtures.outbound("reviews")]?.versionInfo == ResourceVersion("2"))
    }

    @Test(arguments: [
        (Cluster(name: "zero", type: .eds, connectTimeout: ProtoDuration(seconds: 0)),
         "zero: Proto constraint validation failed (ClusterValidationError.ConnectTimeout: value must be greater than 0s)"),
        (Cluster(name: "negative", type: .eds, connectTimeout: ProtoDuration(seconds: -1)),
         "Invalid duration: Expected positive duration: seconds: -1"),
        (Cluster(name: "", type: .eds),
         "Proto constraint validation failed (ClusterValidationError.Name: value length must be at least 1 characters)"),
        (Cluster(name: "od", type: .originalDestination, connectTimeout: ProtoDuration(seconds: 1)),
         "Error adding/updating cluster(s) od: cluster: LB policy ROUND_ROBIN is not valid for Cluster type ORIGINAL_DST. Only 'CLUSTER_PROVIDED' is allowed with cluster type 'ORIGINAL_DST'"),
    ])
    func badClusterIsNACKedAndTheLastGoodStateKept(bad: Cluster, message: String) {
        let (held, clusters, _) = holdingBookinfo()
        var x = held
        let before = x.config
        let out = x.receive(cds(clusters + [bad], version: "3", nonce: "c"), at: t0)
        #expect(out.count == 1)
        #expect(out[0].typeURL == .cluster)
        #expect(out[0].versionInfo == ResourceVersion("1"), "a NACK carries the last accepted version")
        #expect(out[0].responseNonce == Nonce("c"))
        #expect(out[0].errorDetail == RPCStatus(code: 13, message: message))
        #expect(x.config == before)
        #expect(x.cds.lastNack?.message == message && x.cds.nackCount == 1)
        // The next good response is accepted and clears the error.
        let next = x.receive(cds(clusters, version: "4", nonce: "d"), at: t0)
        #expect(next.last?.errorDetail == nil && next.last?.versionInfo == ResourceVersion("4"))
        #expect(x.cds.lastNack == nil)
    }

    @Test func duplicateClustersAreReportedByName() {
        var x = exchange()
        _ = x.streamStarted()
        let c = MeshFixtures.edsCluster("dup")
        let out = x.receive(cds([c, c], version: "1", nonce: "a"), at: t0)
        #expect(out.first?.errorDetail?.message == "Error adding/updating cluster(s) dup: duplicate cluster dup found")
        #expect(x.config.clusters.isEmpty)
    }

    @Test func undecodableResourceIsNACKed() {
        var x = exchange()
        _ = x.streamStarted()
        let garbage = DiscoveryResponse(
            versionInfo: ResourceVersion("1"), resources: [AnyMessage(typeURL: TypeURL.cluster.rawValue, value: [0xff, 0xff])],
            typeURL: .cluster, nonce: Nonce("a"))
        let out = x.receive(garbage, at: t0)
        #expect(out.count == 1 && out[0].errorDetail?.code == 13)
        let wrongType = DiscoveryResponse(
            versionInfo: ResourceVersion("1"),
            resources: [AnyMessage(packing: MeshFixtures.assignment("x", ips: ["10.0.0.1"]))],
            typeURL: .cluster, nonce: Nonce("b"))
        #expect(x.receive(wrongType, at: t0).first?.errorDetail?.message.contains("expected") == true)
    }

    @Test func emptyAssignmentNameIsNACKed() {
        let (held, clusters, endpoints) = holdingBookinfo(endpoints: false)
        var x = held
        let out = x.receive(eds([MeshFixtures.assignment("", ips: ["10.0.0.1"])], version: "2", nonce: "b"), at: t0)
        #expect(out.first?.errorDetail?.message.contains("ClusterLoadAssignmentValidationError.ClusterName") == true)
        #expect(out.first?.resourceNames == clusters.map(\.name).sorted())
        #expect(x.config.endpoints.isEmpty && x.eds.nackCount == 1)
        _ = endpoints
    }

    @Test func removedClusterDropsItsEndpointsAndShrinksTheSubscription() {
        let (held, clusters, _) = holdingBookinfo()
        var x = held
        let out = x.receive(cds([clusters[0]], version: "3", nonce: "c"), at: t0)
        #expect(out.map(\.typeURL) == [.endpoint, .cluster])
        #expect(out[0].resourceNames == [clusters[0].name] && out[0].responseNonce == Nonce("b"))
        #expect(Set(x.config.endpoints.keys) == [clusters[0].name])
    }

    @Test func unchangedClusterKeepsItsVersion() {
        let (held, clusters, _) = holdingBookinfo(endpoints: false)
        var x = held
        let extra = MeshFixtures.edsCluster(MeshFixtures.outbound("ratings"))
        _ = x.receive(cds(clusters + [extra], version: "2", nonce: "b"), at: t0.addingTimeInterval(5))
        #expect(x.config.clusters[clusters[0].name]?.versionInfo == ResourceVersion("1"))
        #expect(x.config.clusters[clusters[0].name]?.lastUpdated == t0)
        #expect(x.config.clusters[extra.name]?.versionInfo == ResourceVersion("2"))
        #expect(x.config.clustersVersion == ResourceVersion("2"))
    }

    @Test func newStreamResyncsWithHeldVersionsAndNoNonce() {
        let (held, clusters, _) = holdingBookinfo()
        var x = held
        let out = x.streamStarted()
        #expect(out.map(\.typeURL) == [.cluster, .endpoint, .listener], "LDS was asked on the old stream: asked again")
        #expect(out[0].node != nil && out[1].node == nil)
        #expect(out[0].versionInfo == ResourceVersion("1") && out[0].responseNonce == .none)
        #expect(out[1].versionInfo == ResourceVersion("2") && out[1].responseNonce == .none)
        #expect(out[1].resourceNames == clusters.map(\.name).sorted())
        #expect(x.config.endpoints.count == 2, "config survives the reconnect")
    }

    @Test func unwatchedTypesAreIgnored() {
        var x = exchange()
        _ = x.streamStarted()
        let lds = DiscoveryResponse(versionInfo: ResourceVersion("1"), resources: [], typeURL: .listener, nonce: Nonce("a"))
        #expect(x.receive(lds, at: t0).isEmpty)
    }

    @Test func backoffDoublesToItsCapWithinJitter() {
        let b = Backoff(base: .milliseconds(500), cap: .seconds(30))
        #expect(b.ceiling(attempt: 0) == .milliseconds(500))
        #expect(b.ceiling(attempt: 3) == .seconds(4))
        #expect(b.ceiling(attempt: 20) == .seconds(30))
        var random = SystemRandomNumberGenerator()
        for attempt in 0..<10 {
            let d = b.delay(attempt: attempt, using: &random)
            #expect(d >= b.ceiling(attempt: attempt) / 2 && d <= b.ceiling(attempt: attempt))
        }
    }
}
