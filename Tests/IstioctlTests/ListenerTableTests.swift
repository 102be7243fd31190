import Foundation
import Istio
import Kubernetes
import TestKit
import Testing

/// `proxy-config listeners|routes` on simulated proxies, with the real kubectl applying a Gateway:
/// the tables istioctl prints from each proxy's `/config_dump`, per istioctl release.
@Suite(.serialized) struct ListenerTableTests {
    static func cells(_ run: ProcessRun) -> [[String]] { run.lines.map { $0.split(separator: " ").map(String.init) } }

    @Test func sidecarAndGatewayListenersAndRoutesAsIstioPrintsThem() async throws {
        try await KubectlHarness.withLive { h in
            try await eventually(timeout: .seconds(30)) { SidecarStoryTests.connected(h) == ["default": 7] }
            let world = h.cluster.world
            let details = try #require(world.pods(in: "default").first { $0.name.hasPrefix("details-v1-") }?.name)
            let gateway = try #require(world.pods(in: "istio-system").first { $0.name.hasPrefix("istio-ingressgateway-") }?.name)
            let kubernetesIP = try #require(world.services(in: "default").first { $0.name == "kubernetes" }?.clusterIP)

            var routes = try await h.istioctl("1.20.0", "proxy-config", "routes", details)
            try await eventually("\(routes)", timeout: .seconds(30)) {
                routes = try await h.istioctl("1.20.0", "proxy-config", "routes", details)
                return Self.cells(routes).contains { $0.first == "9080" }
            }
            let routeCells = Self.cells(routes)
            #expect(routeCells.first == ["NAME", "VHOST", "NAME", "DOMAINS", "MATCH", "VIRTUAL", "SERVICE"], "\(routes)")
            for service in ["details", "productpage", "ratings", "reviews"] {
                #expect(routeCells.contains(["9080", "\(service).default.svc.cluster.local:9080", "\(service),", "\(service).default", "+", "1", "more...", "/*"]), "\(routes)")
            }
            #expect(!routes.stdout.contains("allow_any"), "passthrough routes are not listed")
            let older = try await h.istioctl("1.11.0", "proxy-config", "routes", details, "--name", "9080")
            #expect(Self.cells(older).first == ["NAME", "DOMAINS", "MATCH", "VIRTUAL", "SERVICE"], "\(older)")
            let oldest = try await h.istioctl("1.6.0", "proxy-config", "routes", details)
            #expect(Self.cells(oldest).contains(["9080", "5"]), "four services and allow_any: \(oldest)")

            let listeners = try await h.istioctl("1.20.0", "proxy-config", "listeners", details)
            let cells = Self.cells(listeners)
            #expect(cells.first == ["ADDRESSES", "PORT", "MATCH", "DESTINATION"], "\(listeners)")
            #expect(cells.contains([kubernetesIP, "443", "ALL", "Cluster:", "outbound|443||kubernetes.default.svc.cluster.local"]), "\(listeners)")
            #expect(cells.contains(["0.0.0.0", "9080", "Trans:", "raw_buffer;", "App:", "http/1.1,h2c", "Route:", "9080"]), "\(listeners)")
            #expect(cells.contains(["0.0.0.0", "9080", "ALL", "PassthroughCluster"]), "\(listeners)")
            #expect(cells.contains(["0.0.0.0", "15001", "Addr:", "*:15001", "Non-HTTP/Non-TCP"]), "\(listeners)")
            #expect(cells.contains(["0.0.0.0", "15006", "Trans:", "raw_buffer;", "Addr:", "0.0.0.0/0", "InboundPassthroughClusterIpv4"]), "\(listeners)")
            #expect(cells.contains(["0.0.0.0", "15006", "Trans:", "raw_buffer;", "App:", "http/1.1,h2c;", "Addr:", "*:9080", "Cluster:", "inbound|9080||"]), "\(listeners)")
            let ports = cells.dropFirst().compactMap { $0.count > 1 ? Int($0[1]) : nil }
            #expect(ports == ports.sorted(), "sorted by port")
            let mid = try await h.istioctl("1.18.0", "proxy-config", "listeners", details, "--port", "9080")
            #expect(Self.cells(mid).first == ["ADDRESS", "PORT", "MATCH", "DESTINATION"] && mid.lines.count == 3, "\(mid)")
            let old = try await h.istioctl("1.6.0", "proxy-config", "listeners", details, "--port", "15006")
            #expect(Self.cells(old) == [["ADDRESS", "PORT", "TYPE"], ["0.0.0.0", "15006", "HTTP+TCP"]], "\(old)")

            // The gateway has no listener until a Gateway selects it; then 8080 with route http.8080.
            let yaml = """
                apiVersion: networking.istio.io/v1alpha3
                kind: Gateway
                metadata:
                  name: bookinfo-gateway
                spec:
                  selector:
                    istio: ingressgateway
                  servers:
                  - port:
                      number: 8080
                      name: http
                      protocol: HTTP
                    hosts:
                    - "*"
                """
            let applied = try await h.kubectl("apply", "-f", "-", input: yaml)
            #expect(applied.status == 0, "\(applied)")
            var gatewayRoutes = applied
            try await eventually("\(gatewayRoutes)", timeout: .seconds(30)) {
                gatewayRoutes = try await h.istioctl("1.20.0", "proxy-config", "routes", gateway + ".istio-system")
                return Self.cells(gatewayRoutes).contains(["http.8080", "blackhole:8080", "*", "/*", "404"])
            }
            let gatewayListeners = try await h.istioctl("1.20.0", "proxy-config", "listeners", gateway, "-n", "istio-system")
            #expect(Self.cells(gatewayListeners) == [["ADDRESSES", "PORT", "MATCH", "DESTINATION"], ["0.0.0.0", "8080", "ALL", "Route:", "http.8080"]],
                    "\(gatewayListeners)")
            // Every proxy, the gateway too now, is SYNCED on all four types.
            var status = applied
            try await eventually("\(status)", timeout: .seconds(30)) {
                status = try await h.istioctl("1.20.0", "proxy-status")
                return status.lines.count == 8 && status.lines.dropFirst().allSatisfy {
                    $0.split(separator: " ").map(String.init)[2...5] == ["SYNCED", "SYNCED", "SYNCED", "SYNCED"]
                }
            }
        }
    }
}
