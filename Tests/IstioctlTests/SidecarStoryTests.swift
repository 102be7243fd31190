import Emulator
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Istiod
import JSON
import Kubernetes
import KubeRuntime
import Istio
import Sidecar
import TestKit
import Testing
import XDSModel

/// The seed's canary upgrade end to end, as the reader of the blog post types it: live istiods,
/// a proxy on every injected pod connected over xDS, the real kubectl, and the `istioctl` shim
/// reading what the proxies and istiods hold (`version`, `proxy-status`, `proxy-config`).
@Suite(.serialized)
struct SidecarStoryTests {
    static let bookinfo = ["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"]

    /// Proxies holding a stream to some istiod (each node counted once per stream).
    static func connected(_ h: KubectlHarness) -> [String: Int] {
        var byRevision: [String: Int] = [:]
        for istiod in h.emulator.istiods.istiods() {
            byRevision[istiod.revision.name] = istiod.server.connections().count { $0.node != nil }
        }
        return byRevision
    }

    /// `kubectl rollout restart deployment` in default, then waits until only new pods are left,
    /// every one ready, and the proxies connected per revision are `connected` (a count alone
    /// could match while an old pod's stream is still open and a new proxy not yet connected).
    func restartBookinfo(_ h: KubectlHarness, until connected: [String: Int]) async throws {
        let before = Set(h.cluster.world.pods(in: "default").map(\.name))
        let restart = try await h.kubectl("rollout", "restart", "deployment")
        #expect(restart.lines == Self.bookinfo.map { "deployment.apps/\($0) restarted" }, "\(restart)")
        try await eventually("\(h.cluster.world.pods(in: "default").map(\.name)) \(Self.connected(h))", timeout: .seconds(30)) {
            let pods = h.cluster.world.pods(in: "default")
            return pods.count == 6 && pods.allSatisfy { !before.contains($0.name) && $0.isReady }
                && Self.connected(h) == connected
        }
    }

    /// `pilot version` / `istiod version` lines in the order istioctl lists the pods (by name).
    static func controlPlaneLines(_ world: World) -> [String] {
        world.pods(in: "istio-system").filter { $0.name.hasPrefix("istiod-") && $0.isReady }.map(\.name).sorted().map {
            $0.hasPrefix("istiod-canary-") ? "istiod version: 1.6.0" : "pilot version: 1.5.4"
        }
    }

    @Test func seedCanaryUpgradeWithConnectedProxies() async throws {
        try await KubectlHarness.withLive { h in
            // 7 proxies on 1.5.4: bookinfo's six sidecars and the ingress gateway (a router).
            try await eventually("\(Self.connected(h))", timeout: .seconds(30)) { Self.connected(h) == ["default": 7] }
            let v154 = try await h.istioctl("1.5.4", "version")
            #expect(v154.lines == ["client version: 1.5.4", "control plane version: 1.5.4", "data plane version: 1.5.4 (7 proxies)"], "\(v154)")

            let configPath = try OperatorConfig.write(in: h)
            let install = try await h.istioctl("1.6.0", "install", "--set", "revision=canary", "-f", configPath)
            #expect(install.status == 0, "\(install)")
            // The gateway was upgraded in place and is now a 1.6.0 proxy on istiod-canary.
            try await eventually("\(Self.connected(h))", timeout: .seconds(30)) { Self.connected(h) == ["default": 6, "canary": 1] }
            let mixed = ["client version: 1.6.0"] + Self.controlPlaneLines(h.cluster.world)
                + ["data plane version: 1.5.4 (6 proxies), 1.6.0 (1 proxies)"]
            #expect(Set(Self.controlPlaneLines(h.cluster.world)) == ["pilot version: 1.5.4", "istiod version: 1.6.0"])
            let afterInstall = try await h.istioctl("1.6.0", "version")
            #expect(afterInstall.lines == mixed, "\(afterInstall)")

            // istio-injection=enabled still picks the old injector: a restart keeps 1.5.4.
            try await restartBookinfo(h, until: ["default": 6, "canary": 1])
            let afterRestart = try await h.istioctl("1.6.0", "version")
            #expect(afterRestart.lines == mixed, "\(afterRestart)")

            // Relabel and restart: all seven on 1.6.0, talking to istiod-canary.
            let label = try await h.kubectl("label", "namespace", "default", "istio-injection-", "istio.io/rev=canary")
            #expect(label.status == 0, "\(label)")
            try await restartBookinfo(h, until: ["default": 0, "canary": 7])
            let moved = try await h.istioctl("1.6.0", "version")
            #expect(
                moved.lines == ["client version: 1.6.0"] + Self.controlPlaneLines(h.cluster.world) + ["data plane version: 1.6.0 (7 proxies)"],
                "\(moved)")

            let details = try #require(h.cluster.world.pods(in: "default").first { $0.name.hasPrefix("details-v1-") })
            let endpoints = try await h.istioctl("1.6.0", "proxy-config", "endpoints", details.name, "--cluster", "xds-grpc", "-ojson")
            #expect(endpoints.status == 0, "\(endpoints)")
            #expect(endpoints.lines.filter { $0.contains("hostname") } == ["                \"hostname\": \"istiod-canary.istio-system.svc\","], "\(endpoints)")
            let short = try await h.istioctl("1.6.0", "proxy-config", "endpoints", "\(details.name).default", "--cluster", "xds-grpc")
            let port = try #require(h.emulator.istiods.istiods().first { $0.revision.name == "canary" }?.port)
            let endpoint = "127.0.0.1:\(port)"
            #expect(
                short.lines == [
                    "ENDPOINT" + String(repeating: " ", count: endpoint.count - 3) + "STATUS      OUTLIER CHECK     CLUSTER",
                    "\(endpoint)     HEALTHY     OK                xds-grpc",
                ], "\(short)")

            let clusters = try await h.istioctl("1.6.0", "pc", "clusters", details.name, "--fqdn", "details")
            #expect(clusters.lines.count == 2, "\(clusters)")
            #expect(clusters.lines.last?.split(separator: " ").map(String.init) == ["details.default.svc.cluster.local", "9080", "-", "outbound", "EDS"], "\(clusters)")
            let bootstrap = try await h.istioctl("1.6.0", "pc", "bootstrap", details.name)
            #expect(bootstrap.stdout.contains("\"ISTIO_VERSION\": \"1.6.0\""), "\(bootstrap)")
            #expect(bootstrap.stdout.contains("\"id\": \"sidecar~\(details.ip)~\(details.name).default~default.svc.cluster.local\""), "\(bootstrap)")

            let clientOnly = try await h.istioctl("1.6.0", "version", "--remote=false")
            #expect(clientOnly.lines == ["1.6.0"], "\(clientOnly)")
            let long = try await h.istioctl("1.6.0", "version", "--short=false")
            #expect(long.lines.count == 1 + 2 + 7, "\(long)")
            #expect(long.lines.first?.hasPrefix("client version: version.BuildInfo{Version:\"1.6.0\"") == true, "\(long)")
            #expect(long.lines.last?.hasPrefix("data plane version: version.ProxyInfo{ID:\"reviews-v3-") == true, "\(long)")

            let status = try await h.istioctl("1.6.0", "proxy-status")
            let canaryPod = try #require(h.emulator.istiods.istiods().first { $0.revision.name == "canary" }?.podName)
            #expect(status.lines.first?.split(separator: " ") == ["NAME", "CDS", "LDS", "EDS", "RDS", "PILOT", "VERSION"], "\(status)")
            #expect(status.lines.count == 8, "\(status)")
            // Sidecars hold routes; the gateway, with no Gateway object, has no listener asking for any.
            for row in status.lines.dropFirst() {
                let rds = row.hasPrefix("istio-ingressgateway-") ? ["NOT", "SENT"] : ["SYNCED"]
                #expect(row.split(separator: " ").dropFirst().map(String.init) == ["SYNCED", "SYNCED", "SYNCED"] + rds + [canaryPod, "1.6.0"], "\(status)")
            }
        }
    }

    /// A `proxy-status` row (1.6 columns) of a healthy proxy of `istiod`: SYNCED for CDS, LDS, EDS
    /// and RDS; the gateway, without a Gateway object, has no listener that asks for routes.
    static func isSynced(_ row: String, istiod: String) -> Bool {
        row.contains("SYNCED     SYNCED     SYNCED     SYNCED       \(istiod)")
            || (row.hasPrefix("istio-ingressgateway-") && row.contains("SYNCED     SYNCED     SYNCED     NOT SENT     \(istiod)"))
    }

    /// A dump section without what differs between two proxies of one scope: versions, times, and
    /// the `bind_to_port: false` a real Envoy is given; route configurations by name (Envoy lists
    /// them in its hash maps' order).
    static func comparable(_ value: JSONValue?) -> JSONValue? {
        switch value {
        case .object(let o)?:
            return .object(JSONObject(o.filter { !["version_info", "last_updated", "bind_to_port"].contains($0.key) }
                .map { ($0.key, comparable($0.value)!) }))
        case .array(let a)?:
            let name = { (v: JSONValue) in v["route_config"]?["name"]?.stringValue ?? "" }
            let ordered = a.allSatisfy { $0["route_config"] != nil } ? a.sorted { name($0) < name($1) } : a
            return .array(ordered.map { comparable($0)! })
        default: return value
        }
    }

    @Test func proxiesReconnectAndResyncWhenTheirIstiodComesBack() async throws {
        try await KubectlHarness.withLive { h in
            try await eventually(timeout: .seconds(30)) { Self.connected(h) == ["default": 7] }
            let details = try #require(h.cluster.world.pods(in: "default").first { $0.name.hasPrefix("details-v1-") })
            let sidecar = try #require(h.emulator.sidecars.sidecar(namespace: "default", pod: details.name))
            // istiod counts the proxy once its first request arrives; the clusters come with the answer.
            #expect(await sidecar.waitUntil(timeout: .seconds(30)) { !$0.config.clusters.isEmpty })
            let before = sidecar.snapshot()
            #expect(before.streamsOpened == 1 && before.connection.isConnected && !before.config.clusters.isEmpty)

            // Kill the revision's server: its istiod Deployment scaled to zero.
            let down = try await h.kubectl("scale", "deployment", "istiod", "-n", "istio-system", "--replicas=0")
            #expect(down.status == 0, "\(down)")
            #expect(await sidecar.waitUntil(timeout: .seconds(30)) { $0.connection.isDisconnected })
            // Envoy keeps the config it had while its istiod is away.
            #expect(sidecar.snapshot().config.clusters == before.config.clusters)
            try await eventually(timeout: .seconds(30)) { h.emulator.istiods.istiods().isEmpty }
            let none = try await h.istioctl("1.6.0", "proxy-status")
            #expect(none.lines == ["NAME     CDS     LDS     EDS     RDS     PILOT     VERSION"], "\(none)")

            // Start it again: the same address (the Service's), a new pod; every proxy resyncs.
            let up = try await h.kubectl("scale", "deployment", "istiod", "-n", "istio-system", "--replicas=1")
            #expect(up.status == 0, "\(up)")
            try await eventually("\(Self.connected(h))", timeout: .seconds(30)) { Self.connected(h) == ["default": 7] }
            let newPod = try #require(h.emulator.istiods.istiods().first?.podName)
            #expect(
                await sidecar.waitUntil(timeout: .seconds(30)) {
                    $0.connection.isConnected && $0.streamsOpened >= 2 && $0.controlPlaneIdentifier == newPod
                        && $0.clusters.lastNonce != .none
                }, "\(sidecar.snapshot().connection)")
            let status = try await h.istioctl("1.6.0", "proxy-status")
            #expect(status.lines.count == 8, "\(status)")
            #expect(status.lines.dropFirst().allSatisfy { Self.isSynced($0, istiod: newPod) }, "\(status)")
        }
    }

    @Test func aRejectedPushShowsStaleUntilAGoodOneIsAcked() async throws {
        try await KubectlHarness.withLive { h in
            try await eventually(timeout: .seconds(30)) { Self.connected(h) == ["default": 7] }
            let istiod = try #require(h.emulator.istiods.istiods().first)
            // Every proxy has ACKed what istiod serves, so the push below is what makes them stale
            // (a proxy that never ACKed shows "STALE (Never Acknowledged)").
            try await eventually(timeout: .seconds(30)) {
                istiod.server.connections().allSatisfy { $0.watches[.cluster]?.isInSync == true }
            }
            // A cluster Envoy refuses (zero connect timeout) on top of what istiod serves.
            var clusters = istiod.server.snapshot(of: .cluster).entries.values.map(\.value)
            clusters.append(.cluster(Cluster(name: "outbound|1||bad.default.svc.cluster.local", connectTimeout: ProtoDuration(seconds: 0))))
            istiod.server.update(.cluster, clusters)
            var rows: [String] = []
            try await eventually("proxy-status rows: \(rows)", timeout: .seconds(30)) {
                rows = Array(try await h.istioctl("1.6.0", "proxy-status").lines.dropFirst())
                return rows.count == 7 && rows.allSatisfy { $0.contains("     STALE     SYNCED     SYNCED") }
            }
            // The next good CDS push is accepted: SYNCED again. A new Service changes the clusters
            // (an endpoint-only change pushes EDS alone, as istiod's incremental push does).
            let create = try await h.kubectl("create", "service", "clusterip", "extra", "--tcp=9080")
            #expect(create.status == 0, "\(create)")
            try await eventually("proxy-status rows: \(rows)", timeout: .seconds(30)) {
                rows = Array(try await h.istioctl("1.6.0", "proxy-status").lines.dropFirst())
                return rows.count >= 7 && rows.allSatisfy { $0.contains("     SYNCED     SYNCED     SYNCED") }
            }
        }
    }

    @Test func aRealEnvoySidecarShowsTheCanaryHostThroughItsOwnAdmin() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.envoy), "no Envoy at \(RealPeers.envoy)")
        let dir = try KubectlHarness.makeDirectory()
        let envoy = SidecarFleet.EnvoySelection(selectors: ["details-v1"], binary: RealPeers.envoy, directory: dir + "/envoy")
        try await KubectlHarness.withLive(envoy: envoy) { h in
            try await eventually("\(Self.connected(h))", timeout: .seconds(30)) { Self.connected(h) == ["default": 7] }
            #expect(h.emulator.sidecars.proxies().filter { $0.implementation == "envoy" }.map(\.pod).allSatisfy { $0.hasPrefix("details-v1-") })

            let configPath = try OperatorConfig.write(in: h)
            let install = try await h.istioctl("1.6.0", "install", "--set", "revision=canary", "-f", configPath)
            #expect(install.status == 0, "\(install)")
            _ = try await h.kubectl("label", "namespace", "default", "istio-injection-", "istio.io/rev=canary")
            let old = try #require(h.cluster.world.pods(in: "default").first { $0.name.hasPrefix("details-v1-") }?.name)
            _ = try await h.kubectl("rollout", "restart", "deployment", "details-v1")
            try await eventually("\(h.emulator.sidecars.proxies()) \(Self.connected(h))", timeout: .seconds(30)) {
                h.emulator.sidecars.proxies().contains { $0.pod.hasPrefix("details-v1-") && $0.pod != old && $0.implementation == "envoy" }
                    && Self.connected(h) == ["default": 5, "canary": 2]
            }
            let entry = try #require(h.emulator.sidecars.proxies().first { $0.pod.hasPrefix("details-v1-") })
            #expect(!entry.admin.contains("/pods/"), "istioctl reads Envoy's own admin: \(entry.admin)")

            // Envoy gets its clusters over ADS before istioctl asks.
            try await eventually(timeout: .seconds(30)) {
                try await h.istioctl("1.6.0", "pc", "clusters", entry.pod, "--fqdn", "details").lines.count == 2
            }
            let endpoints = try await h.istioctl("1.6.0", "proxy-config", "endpoints", entry.pod, "--cluster", "xds-grpc", "-ojson")
            #expect(endpoints.lines.filter { $0.contains("hostname") } == ["                \"hostname\": \"istiod-canary.istio-system.svc\","], "\(endpoints)")
            let version = try await h.istioctl("1.6.0", "version")
            #expect(version.lines.last == "data plane version: 1.5.4 (5 proxies), 1.6.0 (2 proxies)", "\(version)")
            let status = try await h.istioctl("1.6.0", "proxy-status")
            let row = try #require(status.lines.first { $0.hasPrefix(entry.pod) })
            #expect(row.contains("SYNCED     SYNCED     SYNCED     SYNCED"), "\(status)")
            #expect(row.hasSuffix("1.6.0"), "\(status)")

            // Istio binds 0.0.0.0 for 15001 and 15006; the real Envoy listens on loopback only
            // (its admin), whatever listeners it was given.
            let pids = try String(contentsOfFile: dir + "/envoy.pids", encoding: .utf8).split(separator: "\n").compactMap { Int32($0) }
            let sockets = pids.flatMap { (try? UpDaemon.listeners(ofProcess: $0)) ?? [] }
            #expect(!sockets.isEmpty && sockets.allSatisfy { $0.hasPrefix("127.0.0.1:") }, "Envoys \(pids): \(sockets)")

            // Envoy took every type: no update rejected (CDS, EDS, LDS and RDS all counted).
            let stats = String(decoding: try await URLSession.shared.data(from: try #require(URL(string: entry.admin + "/stats"))).0, as: UTF8.self)
            let rejected = stats.split(separator: "\n").filter { $0.hasSuffix(".update_rejected: 0") || $0.contains("update_rejected") }
            #expect(rejected.contains { $0.hasPrefix("listener_manager.lds.") } && rejected.contains { $0.hasPrefix("cluster_manager.cds.") }, "\(rejected)")
            #expect(rejected.allSatisfy { $0.hasSuffix(": 0") }, "\(rejected)")
            let routeStats = stats.split(separator: "\n").filter { $0.hasPrefix("http.outbound_0.0.0.0_9080.rds.9080.update_success") }
            #expect(routeStats.count == 1 && routeStats[0] != "http.outbound_0.0.0.0_9080.rds.9080.update_success: 0", "\(routeStats)")
            // Its listeners and routes, as istioctl 1.20 prints them from Envoy's own config_dump.
            let listeners = try await h.istioctl("1.20.0", "proxy-config", "listeners", entry.pod)
            let cells = listeners.lines.map { $0.split(separator: " ").map(String.init) }
            #expect(cells.first == ["ADDRESSES", "PORT", "MATCH", "DESTINATION"], "\(listeners)")
            #expect(cells.contains(["0.0.0.0", "9080", "Trans:", "raw_buffer;", "App:", "http/1.1,h2c", "Route:", "9080"]), "\(listeners)")
            #expect(cells.contains(["0.0.0.0", "15001", "ALL", "PassthroughCluster"]), "\(listeners)")
            #expect(cells.contains(["0.0.0.0", "15006", "Trans:", "raw_buffer;", "App:", "http/1.1,h2c;", "Addr:", "*:9080", "Cluster:", "inbound|9080||"]), "\(listeners)")
            let routes = try await h.istioctl("1.20.0", "proxy-config", "routes", entry.pod, "--name", "9080")
            let routeCells = routes.lines.map { $0.split(separator: " ").map(String.init) }
            #expect(routeCells.first == ["NAME", "VHOST", "NAME", "DOMAINS", "MATCH", "VIRTUAL", "SERVICE"], "\(routes)")
            #expect(routeCells.contains(["9080", "details.default.svc.cluster.local:9080", "details,", "details.default", "+", "1", "more...", "/*"]), "\(routes)")

            // A simulated proxy of the same scope (productpage: port 9080, namespace default) dumps
            // its listeners and routes exactly as this Envoy does: same sections, fields and order
            // (versions, times and the real Envoy's bind_to_port aside).
            let dumpURL = try #require(URL(string: entry.admin + "/config_dump"))
            let realDump = try JSONValue(parsing: String(decoding: try await URLSession.shared.data(from: dumpURL).0, as: UTF8.self))
            let peer = try #require(h.cluster.world.pods(in: "default").first { $0.name.hasPrefix("productpage-v1-") }?.name)
            let simulated = try #require(h.emulator.sidecars.sidecar(namespace: "default", pod: peer))
            #expect(await simulated.waitUntil(timeout: .seconds(30)) { !$0.config.routes.isEmpty })
            let simDump = AdminView.configDump(simulated.snapshot())
            let sections = { (d: JSONValue) in (d["configs"]?.arrayValue ?? []).compactMap { $0["@type"]?.stringValue } }
            #expect(sections(realDump) == sections(simDump), "\(sections(realDump))")
            for suffix in ["ListenersConfigDump", ".RoutesConfigDump"] {
                let pick = { (d: JSONValue) in Self.comparable(d["configs"]?.arrayValue?.first { ($0["@type"]?.stringValue ?? "").hasSuffix(suffix) }) }
                let (real, sim) = (pick(realDump), pick(simDump))
                #expect(real.map { sim?.isIdentical(to: $0) ?? false } == true, "\(suffix):\nreal \(real?.envoyAdminJSON ?? "")\nsim  \(sim?.envoyAdminJSON ?? "")")
            }
        }
        try? FileManager.default.removeItem(atPath: dir)
    }
}
