import EmulatorAPI
import Foundation
import TestKit
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The emulator's own endpoints against their types: what a live emulator (Istio 1.5.4, seven
/// connected proxies) serves decodes into the type, encodes back to the same JSON, and keeps the
/// field names istioctl and scripts have always read.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct EmulatorAPITests {
    /// `url` with the kubeconfig's token (`authorised`) or without.
    static func get(
        _ h: KubectlHarness, _ url: String, method: String = "GET", authorised: Bool = true
    ) async throws -> (status: Int, contentType: String, body: Data) {
        var request = URLRequest(url: try #require(URL(string: url)))
        request.httpMethod = method
        if authorised { request.setValue(h.authorization, forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", data)
    }

    /// `json` re-serialised with sorted keys: equal for equal documents.
    static func canonical(_ json: Data) throws -> Data {
        try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: json), options: .sortedKeys)
    }

    /// The served list: decoded into its type, re-encoded to equal JSON; returns the items and
    /// the keys of each item as served.
    static func roundTrip<Item: EmulatorListItem & Equatable>(
        _: Item.Type, _ h: KubectlHarness
    ) async throws -> (items: [Item], keys: [Set<String>]) {
        let (status, contentType, served) = try await get(h, h.emulator.serverURL + Item.path)
        #expect(status == 200 && contentType == "application/json")
        let list = try JSONDecoder().decode(EmulatorList<Item>.self, from: served)
        #expect(list.kind == Item.listKind && list.apiVersion == "xdsemu.io/v1")
        let again = Data(EndpointResponse.json(list).body)
        #expect(try canonical(again) == canonical(served), "\(String(decoding: served, as: UTF8.self))")
        #expect(try JSONDecoder().decode(EmulatorList<Item>.self, from: again).items == list.items)
        let object = try #require(try JSONSerialization.jsonObject(with: served) as? [String: Any])
        let items = try #require(object["items"] as? [[String: Any]])
        return (list.items, items.map { Set($0.keys) })
    }

    /// An emulator with Istio 1.5.4 and its seven proxies connected, for `body`.
    static func withMesh(_ body: (KubectlHarness) async throws -> Void) async throws {
        try await KubectlHarness.withLive { h in
            try await eventually("7 proxies connected to the default istiod", timeout: .seconds(30)) { SidecarStoryTests.connected(h) == ["default": 7] }
            try await body(h)
        }
    }

    @Test func istiodsRoundTrip() async throws {
        try await Self.withMesh { h in
            let (istiods, keys) = try await Self.roundTrip(IstiodStatus.self, h)
            #expect(istiods.map(\.revision) == ["default"] && istiods.first?.version == "1.5.4")
            #expect(keys == [["revision", "version", "host", "address", "pod", "deployment", "namespace"]])
        }
    }

    @Test func proxiesRoundTripAndTheirAdminRootsAreOnTheAPIServer() async throws {
        try await Self.withMesh { h in
            let (proxies, keys) = try await Self.roundTrip(ProxyStatus.self, h)
            #expect(proxies.count == 7)
            #expect(Set(keys) == [["namespace", "pod", "kind", "implementation", "istioVersion", "discoveryHost", "discoveryAddress", "admin"]])
            #expect(proxies.allSatisfy { $0.admin == "\(h.emulator.serverURL)/pods/\($0.namespace)/\($0.pod)" })
            let clusters = try await Self.get(h, try #require(proxies.first).admin + "/clusters?format=json")
            #expect(clusters.status == 200 && clusters.contentType == "application/json")
        }
    }

    @Test func synczRoundTrips() async throws {
        try await Self.withMesh { h in
            let (syncz, keys) = try await Self.roundTrip(Syncz.self, h)
            #expect(syncz.map(\.revision) == ["default"] && syncz.first?.proxies.count == 7)
            #expect(keys == [["istiod", "revision", "version", "proxies"]])
            let served = try await Self.get(h, h.emulator.serverURL + Syncz.path).body
            let object = try #require(try JSONSerialization.jsonObject(with: served) as? [String: Any])
            let items = try #require(object["items"] as? [[String: Any]])
            let statusKeys = ((items.first?["proxies"] as? [[String: Any]]) ?? []).map { Set($0.keys) }
            let perType = ["cluster", "listener", "route", "endpoint"].flatMap { ["\($0)_sent", "\($0)_acked"] }
            #expect(statusKeys.count == 7 && statusKeys.allSatisfy { $0 == Set(["proxy", "istio_version"] + perType) })
        }
    }

    /// `/metrics` on the same seam, and the Kubernetes API behind every path or method no
    /// endpoint claims.
    @Test func metricsAndTheKubernetesAPIBehindTheRoutes() async throws {
        try await Self.withMesh { h in
            let metrics = try await Self.get(h, h.emulator.serverURL + EmulatorEndpoint.metricsPath)
            #expect(metrics.status == 200 && metrics.contentType == EmulatorEndpoint.prometheusContentType)
            #expect(String(decoding: metrics.body, as: UTF8.self).contains("revision=\"default\""))
            for (method, path, code) in [("GET", "/xdsemu/v1/nope", 404), ("POST", "/metrics", 405), ("GET", "/pods", 404)] {
                let answer = try await Self.get(h, h.emulator.serverURL + path, method: method)
                let status = try JSONSerialization.jsonObject(with: answer.body) as? [String: Any]
                #expect(answer.status == code && status?["kind"] as? String == "Status", "\(method) \(path)")
            }
            // The emulator's own endpoints sit behind the kubeconfig's token like the API.
            let admin = try #require(h.emulator.sidecars.proxies().first).admin + "/clusters?format=json"
            for url in [h.emulator.serverURL + EmulatorEndpoint.metricsPath, h.emulator.serverURL + Syncz.path, admin] {
                let refused = try await Self.get(h, url, authorised: false)
                let status = try JSONSerialization.jsonObject(with: refused.body) as? [String: Any]
                #expect(refused.status == 401 && status?["reason"] as? String == "Unauthorized", "\(url)")
            }
        }
    }
}
