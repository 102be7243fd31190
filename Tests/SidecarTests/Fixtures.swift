import Foundation
import Istio
import TestKit
import Testing
import Sidecar
import XDSModel
import XDSServer

/// Shared pieces for the sidecar tests: a pod, its bootstrap pointing at a live server, Istio-like
/// clusters and endpoints.
enum Fixtures {
    /// Fast backoff so reconnect tests take well under a second per attempt.
    static let fastBackoff = Backoff(base: .milliseconds(20), cap: .milliseconds(200))

    static let pod = SidecarBootstrap.Pod(
        name: "details-v1-7bc48f795d-2fwzr", namespace: "default", ip: "10.44.0.9",
        labels: ["app": "details", "version": "v1"], serviceAccount: "bookinfo-details")

    static func bootstrap(port: Int, pod: SidecarBootstrap.Pod = pod, version: String = "1.6.0") -> SidecarBootstrap {
        SidecarBootstrap(
            pod: pod, istioVersion: version,
            discovery: .istiod(revision: "canary", loopbackPort: UInt32(port)),
            xdsThroughAgent: IstioVersion(version)?.has(.xdsThroughAgent) ?? false)
    }

    static func startSidecar(port: Int, pod: SidecarBootstrap.Pod = pod) throws -> Sidecar {
        try Sidecar(bootstrap: bootstrap(port: port, pod: pod), configuration: .init(backoff: fastBackoff))
    }

    /// details and reviews: two EDS clusters with their endpoints.
    static func bookinfo(detailsIPs: [String] = ["10.44.0.9"]) -> ([Cluster], [ClusterLoadAssignment]) {
        let details = MeshFixtures.outbound("details"), reviews = MeshFixtures.outbound("reviews")
        return (
            [MeshFixtures.edsCluster(details), MeshFixtures.edsCluster(reviews)],
            [
                MeshFixtures.assignment(details, ips: detailsIPs),
                MeshFixtures.assignment(reviews, ips: ["10.44.0.10", "10.44.0.11"]),
            ]
        )
    }
}

/// Runs `body` with a live server and stops it afterwards, whatever happens.
func withServer<R>(port: Int = 0, _ body: (XDSServer) async throws -> R) async throws -> R {
    let server = try XDSServer(configuration: .init(port: port))
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}
