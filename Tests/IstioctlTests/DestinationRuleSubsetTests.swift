import Foundation
import Istio
import Kubernetes
import TestKit
import Testing

/// bookinfo's DestinationRules applied with the real kubectl: every proxy gets a subset cluster per
/// subset, whose endpoints are the pods with the subset's labels (istioctl's `proxy-config`).
@Suite(.serialized) struct DestinationRuleSubsetTests {
    /// The reviews and ratings rules of `samples/bookinfo/networking/destination-rule-all.yaml@1.20.0`.
    static let rules = """
        apiVersion: networking.istio.io/v1alpha3
        kind: DestinationRule
        metadata:
          name: reviews
        spec:
          host: reviews
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
          - name: v3
            labels:
              version: v3
        ---
        apiVersion: networking.istio.io/v1alpha3
        kind: DestinationRule
        metadata:
          name: ratings
        spec:
          host: ratings
          subsets:
          - name: v1
            labels:
              version: v1
          - name: v2
            labels:
              version: v2
        """

    @Test func subsetsBecomeClustersWithTheirPodsAsEndpoints() async throws {
        try await KubectlHarness.withLive { h in
            try await eventually(timeout: .seconds(30)) { SidecarStoryTests.connected(h) == ["default": 7] }
            let pods = h.cluster.world.pods(in: "default")
            let details = try #require(pods.first { $0.name.hasPrefix("details-v1-") }?.name)
            let v2 = try #require(pods.first { $0.name.hasPrefix("reviews-v2-") }?.ip)
            let applied = try await h.kubectl("apply", "-f", "-", input: Self.rules)
            #expect(applied.status == 0, "\(applied)")
            var clusters = applied
            try await eventually("\(clusters)", timeout: .seconds(30)) {
                clusters = try await h.istioctl("1.20.0", "proxy-config", "clusters", details, "--fqdn", "reviews")
                return clusters.lines.count == 5
            }
            let subsets = clusters.lines.dropFirst().map { $0.split(separator: " ").map(String.init) }.map { $0[2] }
            #expect(subsets == ["-", "v1", "v2", "v3"], "\(clusters)")
            let cluster = "outbound|9080|v2|reviews.default.svc.cluster.local"
            var endpoints = applied
            try await eventually("\(endpoints)", timeout: .seconds(30)) {
                endpoints = try await h.istioctl("1.20.0", "proxy-config", "endpoints", details, "--cluster", cluster)
                return endpoints.lines.count == 2
            }
            #expect(endpoints.lines.last?.split(separator: " ").map(String.init) == ["\(v2):9080", "HEALTHY", "OK", cluster], "\(endpoints)")
            // A subset no pod carries has a cluster and no endpoint.
            let ratings = try await h.istioctl("1.20.0", "proxy-config", "clusters", details, "--fqdn", "ratings", "--subset", "v2")
            #expect(ratings.lines.count == 2, "\(ratings)")
            let none = try await h.istioctl("1.20.0", "proxy-config", "endpoints", details, "--cluster", "outbound|9080|v2|ratings.default.svc.cluster.local")
            #expect(none.lines.count == 1, "\(none)")
        }
    }
}
