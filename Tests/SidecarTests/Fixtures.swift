import Foundation
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
            discovery: .istiod(revision: "canary", loopbackPort: UInt32(port)))
    }

    static func startSidecar(port: Int, pod: SidecarBootstrap.Pod = pod) throws -> Sidecar {
        try Sidecar(bootstrap: bootstrap(port: port, pod: pod), configuration: .init(backoff: fastBackoff))
    }

    static func outbound(_ service: String, port: Int = 9080) -> String {
        "outbound|\(port)||\(service).default.svc.cluster.local"
    }

    static func edsCluster(_ name: String) -> Cluster {
        Cluster(name: name, type: .eds, connectTimeout: ProtoDuration(seconds: 10))
    }

    static func assignment(_ name: String, ips: [String], port: UInt32 = 9080) -> ClusterLoadAssignment {
        ClusterLoadAssignment(
            clusterName: name,
            endpoints: [
                LocalityLbEndpoints(lbEndpoints: ips.map {
                    LbEndpoint(address: SocketAddress(address: $0, portValue: port), healthStatus: .healthy)
                })
            ])
    }

    /// details and reviews: two EDS clusters with their endpoints.
    static func bookinfo(detailsIPs: [String] = ["10.44.0.9"]) -> ([Cluster], [ClusterLoadAssignment]) {
        let details = outbound("details"), reviews = outbound("reviews")
        return (
            [edsCluster(details), edsCluster(reviews)],
            [assignment(details, ips: detailsIPs), assignment(reviews, ips: ["10.44.0.10", "10.44.0.11"])]
        )
    }
}

/// Polls `condition` until it holds or `timeout` passes. Only for state a test cannot be told
/// about (the server's view of a stream); the sidecar's own state is awaited with `waitUntil`.
func eventually(timeout: Duration = .seconds(10), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
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
