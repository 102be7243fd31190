import Foundation
import JSON
import Kubernetes
import Istio

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What istioctl's queries need beyond plain Kubernetes objects. A real istioctl execs into pods
/// (`pilot-agent request GET clusters?format=json` in `istio-proxy`, `pilot-discovery request GET
/// /debug/syncz` in `discovery`); the emulator answers the same questions on two endpoints of its
/// API facade (docs/sidecars.md).
extension KubeClient {
    /// One running proxy (`GET /xdsemu/v1/proxies`).
    struct RunningProxy: Sendable, Hashable {
        var namespace: String
        var pod: String
        var implementation: String
        /// The pod's Envoy admin root: append `/clusters?format=json` as to `localhost:15000`.
        var admin: String
    }

    func runningProxies() async throws -> [RunningProxy] {
        let json = try await request("GET", "/xdsemu/v1/proxies")
        return (json["items"]?.arrayValue ?? []).map {
            RunningProxy(
                namespace: $0["namespace"]?.stringValue ?? "", pod: $0["pod"]?.stringValue ?? "",
                implementation: $0["implementation"]?.stringValue ?? "", admin: $0["admin"]?.stringValue ?? "")
        }
    }

    /// What one istiod's `/debug/syncz` says about one proxy (Istio 1.6's `SyncStatus`).
    struct SyncStatus: Sendable, Hashable {
        var proxy: String
        var istioVersion: String
        var sent: [String: String]
        var acked: [String: String]
    }

    /// One live istiod's syncz (`GET /xdsemu/v1/syncz`).
    struct Syncz: Sendable, Hashable {
        var istiod: String
        var revision: String
        var version: String
        var proxies: [SyncStatus]
    }

    func syncz() async throws -> [Syncz] {
        let json = try await request("GET", "/xdsemu/v1/syncz")
        return (json["items"]?.arrayValue ?? []).map { item in
            Syncz(
                istiod: item["istiod"]?.stringValue ?? "", revision: item["revision"]?.stringValue ?? "",
                version: item["version"]?.stringValue ?? "",
                proxies: (item["proxies"]?.arrayValue ?? []).map { p in
                    var sent: [String: String] = [:], acked: [String: String] = [:]
                    for type in ["cluster", "listener", "route", "endpoint"] {
                        sent[type] = p["\(type)_sent"]?.stringValue ?? ""
                        acked[type] = p["\(type)_acked"]?.stringValue ?? ""
                    }
                    return SyncStatus(
                        proxy: p["proxy"]?.stringValue ?? "", istioVersion: p["istio_version"]?.stringValue ?? "",
                        sent: sent, acked: acked)
                })
        }
    }

    /// A GET on a proxy's admin (`path` like `/clusters?format=json`).
    static func admin(_ base: String, _ path: String) async throws -> String {
        guard let url = URL(string: base + path) else { throw IstioctlFailure("bad admin address \(base)") }
        let (data, response) = try await URLSession.shared.data(for: URLRequest(url: url, timeoutInterval: 10))
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        let body = String(decoding: data, as: UTF8.self)
        guard status == 200 else { throw IstioctlFailure("failed to execute command on sidecar: \(body)") }
        return body
    }
}

extension IstioctlEnvironment {
    /// `POD[.NS]` as istioctl splits it; NS defaults to `-n`, then `default`.
    static func podAndNamespace(_ argument: String, namespace: String?) -> (pod: String, namespace: String) {
        if let dot = argument.firstIndex(of: ".") {
            return (String(argument[..<dot]), String(argument[argument.index(after: dot)...]))
        }
        return (argument, namespace ?? "default")
    }

    /// The admin root of a pod's proxy, after checking the pod exists as istioctl does.
    func proxyAdmin(_ argument: String, namespace: String?, client: KubeClient) async throws -> String {
        let (pod, ns) = Self.podAndNamespace(argument, namespace: namespace)
        guard try await client.get(.pods, namespace: ns, pod) != nil else {
            throw IstioctlFailure("pods \"\(pod)\" not found")
        }
        guard let proxy = try await client.runningProxies().first(where: { $0.pod == pod && $0.namespace == ns }) else {
            throw IstioctlFailure(
                "failed to execute command on sidecar: error execing into \(pod)/\(ns) istio-proxy container: no running proxy in the pod")
        }
        return proxy.admin
    }
}
