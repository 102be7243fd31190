import Foundation
import TestKit
import Testing
@testable import Sidecar
import XDSModel

/// The admin view against what Envoy 1.40 really prints (EnvoyCaptures): every key path the
/// sidecar emits must exist in Envoy's output (or be a documented addition), and fields come in
/// Envoy's order with Envoy's indentation.
@Suite struct AdminViewTests {
    /// A snapshot as a live sidecar would hold it: connected, CDS and EDS accepted.
    static func snapshot(port: UInt32 = 41234, version: String = "1.6.0") -> SidecarSnapshot {
        let (clusters, bookinfo) = Fixtures.bookinfo()
        // One host with a hostname, as Istio sets for some endpoints (and Envoy then prints).
        var endpoints = bookinfo
        endpoints[1].endpoints[0].lbEndpoints[0].hostname = "reviews-v1"
        var config = ProxyConfig()
        let t = Date(timeIntervalSince1970: 1_764_000_000.525)
        config.clusters = Dictionary(uniqueKeysWithValues: clusters.map {
            ($0.name, ProxyConfig.HeldCluster(cluster: $0, versionInfo: ResourceVersion("3"), lastUpdated: t))
        })
        config.endpoints = Dictionary(uniqueKeysWithValues: endpoints.map {
            ($0.clusterName, ProxyConfig.HeldAssignment(assignment: $0, versionInfo: ResourceVersion("4"), lastUpdated: t))
        })
        config.clustersVersion = ResourceVersion("3")
        config.endpointsVersion = ResourceVersion("4")
        var cds = SubscriptionStatus()
        cds.ackCount = 1
        return SidecarSnapshot(
            bootstrap: Fixtures.bootstrap(port: Int(port), version: version), connection: .connected(since: t), config: config,
            clusters: cds, endpoints: SubscriptionStatus(), controlPlaneIdentifier: "istiod-canary-848948494f-vrpz8",
            streamsOpened: 1, startedAt: t)
    }

    // MARK: /clusters?format=json

    @Test func clustersShowXDSGRPCWithTheRevisionHost() throws {
        let json = try parse(AdminView.clusters(Self.snapshot()).envoyAdminJSON)
        let statuses = try #require(json["cluster_statuses"] as? [[String: Any]])
        #expect(statuses.map { $0["name"] as? String } == [
            "xds-grpc", MeshFixtures.outbound("details"), MeshFixtures.outbound("reviews"),
        ])
        let xds = statuses[0]
        #expect(xds["added_via_api"] == nil, "the bootstrap cluster is not added via API")
        let host = try #require((xds["host_statuses"] as? [[String: Any]])?.first)
        #expect(host["hostname"] as? String == "istiod-canary.istio-system.svc")
        let socket = try #require((host["address"] as? [String: Any])?["socket_address"] as? [String: Any])
        #expect(socket["address"] as? String == "127.0.0.1")
        #expect(socket["port_value"] as? Int == 41234)
        #expect((host["health_status"] as? [String: Any])?["eds_health_status"] as? String == "HEALTHY")
        #expect(statuses[1]["added_via_api"] as? Bool == true)
        let details = try #require(statuses[1]["host_statuses"] as? [[String: Any]])
        #expect(details.count == 1 && details[0]["hostname"] == nil, "no hostname key when EDS sets none")
    }

    @Test func fromIstio18XDSGRPCIsTheAgentSocket() throws {
        // docs/istio-facts.md §2.1/§3.1: `unix://./etc/istio/proxy/XDS`, STATIC, and no hostname to grep.
        let json = try parse(AdminView.clusters(Self.snapshot(version: "1.8.0")).envoyAdminJSON)
        let host = try #require(value(json, "cluster_statuses", 0, "host_statuses", 0) as? [String: Any])
        #expect(value(host, "address", "pipe", "path") as? String == "./etc/istio/proxy/XDS")
        #expect(host["hostname"] == nil)
        let dump = try parse(AdminView.configDump(Self.snapshot(version: "1.8.0")).envoyAdminJSON)
        let xds = try #require(value(dump, "configs", 1, "static_clusters", 0, "cluster") as? [String: Any])
        #expect(xds["type"] as? String == "STATIC" && xds["respect_dns_ttl"] == nil)
        #expect(AdminView.clustersText(Self.snapshot(version: "1.8.0")).contains("xds-grpc::./etc/istio/proxy/XDS::weight::1\n"))
        // 1.7 still dials istiod by name.
        let old = try parse(AdminView.clusters(Self.snapshot(version: "1.7.8")).envoyAdminJSON)
        #expect(value(old, "cluster_statuses", 0, "host_statuses", 0, "hostname") as? String == "istiod-canary.istio-system.svc")
    }

    @Test func discoveryHostFollowsTheRevision() {
        #expect(SidecarBootstrap.DiscoveryAddress.istiod(revision: nil, loopbackPort: 1).host == "istiod.istio-system.svc")
        #expect(SidecarBootstrap.DiscoveryAddress.istiod(revision: "default", loopbackPort: 1).host == "istiod.istio-system.svc")
        #expect(SidecarBootstrap.DiscoveryAddress.istiod(revision: "canary", loopbackPort: 7).target == "127.0.0.1:7")
        let b = Fixtures.bootstrap(port: 1)
        #expect(b.serviceCluster == "details.default" && b.proxyID == "details-v1-7bc48f795d-2fwzr.default")
    }

    @Test func clustersKeyPathsAreEnvoys() throws {
        let ours = keyPaths(try parse(AdminView.clusters(Self.snapshot()).envoyAdminJSON))
        let envoy = keyPaths(try parse(EnvoyCaptures.clusters))
        #expect(ours.subtracting(envoy).isEmpty, "keys Envoy never prints: \(ours.subtracting(envoy).sorted())")
        #expect(envoy.subtracting(ours).isEmpty, "keys Envoy prints that we lack: \(envoy.subtracting(ours).sorted())")
    }

    @Test func clustersFieldOrderAndIndentationAreEnvoys() {
        let ours = AdminView.clusters(Self.snapshot()).envoyAdminJSON
        // Cluster fields at 3 spaces, host fields at 5, stats entries at 7: Envoy's one-space indent.
        #expect(fieldOrder(ours, indent: 3, after: "\"cluster_statuses\"") == fieldOrder(EnvoyCaptures.clusters, indent: 3, after: "\"cluster_statuses\""))
        #expect(fieldOrder(ours, indent: 5, after: "\"host_statuses\"") == fieldOrder(EnvoyCaptures.clusters, indent: 5, after: "\"host_statuses\""))
        #expect(ours.hasPrefix("{\n \"cluster_statuses\": [\n  {\n   \"name\": \"xds-grpc\",\n   \"host_statuses\": [\n    {\n     \"address\": {\n      \"socket_address\": {\n"))
        #expect(ours.hasSuffix("\n }\n ]\n}\n") || ours.hasSuffix("\n  }\n ]\n}\n"))
    }

    @Test func clustersTextFormHasEnvoysLines() {
        let text = AdminView.clustersText(Self.snapshot())
        #expect(text.contains("xds-grpc::127.0.0.1:41234::hostname::istiod-canary.istio-system.svc\n"))
        #expect(text.contains("xds-grpc::added_via_api::false\n"))
        #expect(text.contains("\(MeshFixtures.outbound("details"))::10.44.0.9:9080::health_flags::healthy\n"))
    }

    // MARK: /config_dump

    @Test func configDumpHasEnvoysSectionsInOrder() throws {
        let plain = try parse(AdminView.configDump(Self.snapshot()).envoyAdminJSON)
        #expect(types(plain) == [
            "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump", "type.googleapis.com/envoy.admin.v3.ClustersConfigDump",
            "type.googleapis.com/envoy.admin.v3.ListenersConfigDump", "type.googleapis.com/envoy.admin.v3.SecretsConfigDump",
        ])
        let withEDS = try parse(AdminView.configDump(Self.snapshot(), includeEndpoints: true).envoyAdminJSON)
        #expect(types(withEDS) == types(try parse(EnvoyCaptures.configDumpWithEDS)))
    }

    @Test func configDumpKeyPathsAreEnvoys() throws {
        let ours = keyPaths(try parse(AdminView.configDump(Self.snapshot(), includeEndpoints: true).envoyAdminJSON))
        let envoy = keyPaths(try parse(EnvoyCaptures.configDumpWithEDS))
        // Documented additions: the endpoint versions Envoy leaves unset for EDS, the node labels
        // Istio puts in metadata, and what Istio's bootstrap sets that the capture's did not.
        let additions: Set<String> = [
            "configs[].dynamic_endpoint_configs[].version_info", "configs[].dynamic_endpoint_configs[].last_updated",
        ]
        let extra = ours.subtracting(envoy).subtracting(additions).filter { !$0.contains(".metadata.") }
        #expect(extra.isEmpty, "keys Envoy never prints: \(extra.sorted())")
        let missing = envoy.subtracting(ours).filter {
            // Envoy's own extension list, and the bootstrap's dns_lookup_family, are not modelled.
            !$0.contains(".extensions") && !$0.hasSuffix("dns_lookup_family") && !$0.contains(".metadata.")
        }
        #expect(missing.isEmpty, "keys Envoy prints that we lack: \(missing.sorted())")
    }

    @Test func configDumpHoldsBootstrapClustersAndEndpointsWithVersions() throws {
        let json = try parse(AdminView.configDump(Self.snapshot(), includeEndpoints: true).envoyAdminJSON)
        let configs = try #require(json["configs"] as? [[String: Any]])
        let bootstrap = try #require(configs[0]["bootstrap"] as? [String: Any])
        let node = try #require(bootstrap["node"] as? [String: Any])
        #expect(node["id"] as? String == "sidecar~10.44.0.9~details-v1-7bc48f795d-2fwzr.default~default.svc.cluster.local")
        #expect(node["cluster"] as? String == "details.default")
        let metadata = try #require(node["metadata"] as? [String: Any])
        #expect(metadata["ISTIO_VERSION"] as? String == "1.6.0")
        #expect(metadata["NAMESPACE"] as? String == "default")
        #expect(metadata["NAME"] as? String == "details-v1-7bc48f795d-2fwzr")
        #expect((metadata["LABELS"] as? [String: Any])?["app"] as? String == "details")
        let staticCluster = try #require(((bootstrap["static_resources"] as? [String: Any])?["clusters"] as? [[String: Any]])?.first)
        #expect(staticCluster["name"] as? String == "xds-grpc" && staticCluster["type"] as? String == "STRICT_DNS")
        let configured = try #require(value(staticCluster, "load_assignment", "endpoints", 0, "lb_endpoints", 0, "endpoint", "address", "socket_address") as? [String: Any])
        #expect(configured["address"] as? String == "istiod-canary.istio-system.svc")
        #expect(configured["port_value"] as? Int == 15012)

        #expect(configs[1]["version_info"] as? String == "3")
        let dynamic = try #require(configs[1]["dynamic_active_clusters"] as? [[String: Any]])
        #expect(dynamic.count == 2 && dynamic.allSatisfy { $0["version_info"] as? String == "3" })
        #expect(dynamic.allSatisfy { $0["last_updated"] as? String == "2025-11-24T16:00:00.525Z" })
        #expect(value(dynamic[0], "cluster", "@type") as? String == "type.googleapis.com/envoy.config.cluster.v3.Cluster")
        #expect(value(dynamic[0], "cluster", "connect_timeout") as? String == "10s")

        let endpoints = try #require(configs[2]["dynamic_endpoint_configs"] as? [[String: Any]])
        #expect(endpoints.count == 2 && endpoints.allSatisfy { $0["version_info"] as? String == "4" })
        let resolved = try #require(value(configs[2], "static_endpoint_configs", 0, "endpoint_config", "endpoints", 0, "lb_endpoints", 0, "endpoint") as? [String: Any])
        #expect(resolved["hostname"] as? String == "istiod-canary.istio-system.svc")
        #expect(value(resolved, "address", "socket_address", "port_value") as? Int == 41234)
    }

    // MARK: /server_info

    @Test func serverInfoHasEnvoysKeys() throws {
        let ours = try parse(AdminView.serverInfo(Self.snapshot()).envoyAdminJSON)
        let envoy = try parse(EnvoyCaptures.serverInfo)
        #expect(Set(ours.keys) == Set(envoy.keys))
        #expect(Set((ours["command_line_options"] as? [String: Any] ?? [:]).keys)
            == Set((envoy["command_line_options"] as? [String: Any] ?? [:]).keys))
        #expect(Set((ours["node"] as? [String: Any] ?? [:]).keys) == Set((envoy["node"] as? [String: Any] ?? [:]).keys))
        #expect(ours["state"] as? String == "LIVE")
        #expect((ours["version"] as? String)?.contains("/1.14.0/Clean/RELEASE/BoringSSL") == true)
        #expect(value(ours, "node", "metadata", "ISTIO_VERSION") as? String == "1.6.0")
    }

    // MARK: Helpers

    func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    func types(_ dump: [String: Any]) -> [String] {
        (dump["configs"] as? [[String: Any]] ?? []).compactMap { $0["@type"] as? String }
    }

    /// Every key path in a document, arrays written `[]`: `cluster_statuses[].host_statuses[].hostname`.
    func keyPaths(_ value: Any, prefix: String = "") -> Set<String> {
        var out: Set<String> = []
        if let object = value as? [String: Any] {
            for (key, child) in object {
                let path = prefix.isEmpty ? key : "\(prefix).\(key)"
                out.insert(path)
                out.formUnion(keyPaths(child, prefix: path))
            }
        } else if let array = value as? [Any] {
            for child in array { out.formUnion(keyPaths(child, prefix: prefix + "[]")) }
        }
        return out
    }

    /// The keys at exactly `indent` spaces in the first block after the line containing `marker`:
    /// the field order of the first object at that depth, as printed.
    func fieldOrder(_ text: String, indent: Int, after marker: String) -> [String] {
        var keys: [String] = []
        var started = false
        for line in text.split(separator: "\n") {
            if !started {
                started = line.contains(marker)
                continue
            }
            let spaces = line.prefix { $0 == " " }.count
            if spaces < indent { break }
            if spaces == indent, line.dropFirst(spaces).hasPrefix("\""), let end = line.dropFirst(spaces + 1).firstIndex(of: "\"") {
                keys.append(String(line[line.index(line.startIndex, offsetBy: spaces + 1)..<end]))
            }
        }
        return keys
    }

    /// Follows keys and indices through parsed JSON.
    func value(_ root: Any, _ path: Any...) -> Any? {
        var current: Any? = root
        for step in path {
            if let key = step as? String { current = (current as? [String: Any])?[key] }
            else if let index = step as? Int {
                guard let array = current as? [Any], array.indices.contains(index) else { return nil }
                current = array[index]
            }
        }
        return current
    }
}
