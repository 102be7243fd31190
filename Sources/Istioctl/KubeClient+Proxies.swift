import EmulatorAPI
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
    /// The running proxies (`GET /xdsemu/v1/proxies`), each with its pod's Envoy admin root.
    func runningProxies() async throws -> [ProxyStatus] {
        try await emulatorList(ProxyStatus.self)
    }

    /// Every live istiod's syncz (`GET /xdsemu/v1/syncz`).
    func syncz() async throws -> [Syncz] {
        try await emulatorList(Syncz.self)
    }

    /// A GET on a proxy's admin (`path` like `/clusters?format=json`): a simulated proxy's on the
    /// emulator's server (with the token), a real Envoy's on its own admin port.
    func admin(_ base: String, _ path: String) async throws -> String {
        guard let url = URL(string: base + path) else { throw IstioctlFailure("bad admin address \(base)") }
        var request = URLRequest(url: url, timeoutInterval: 10)
        authorise(&request)
        let (data, response) = try await URLSession.shared.data(for: request)
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
