import JSON
import EmulatorAPI
import Kubernetes
import Istio

/// `istioctl proxy-status POD`: whether the proxy holds the configuration its istiod would send it,
/// per xDS type, as `istioctl/pkg/writer/compare` prints it (`Clusters Match`, `Listeners Match`,
/// `Routes Match`; otherwise a unified diff headed `--- Istiod Clusters` / `+++ Envoy Clusters`,
/// `Pilot` before 1.7).
///
/// istioctl diffs istiod's `debug/config_dump?proxyID=` against the proxy's `config_dump`. The
/// emulator has no per-proxy dump of istiod's, but its syncz says what istiod last sent and what
/// the proxy acknowledged: the dumps agree exactly when the proxy acknowledged the last send.
/// When they differ, the diff body names the two nonces instead of the dumps' JSON.
struct ProxyStatusDiff {
    var target: String
    var namespace: String
    var revision: String?

    func run() async throws {
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        let (pod, ns) = try await PodTarget.resolve(target, namespace: namespace, client: client, typed: env.version.has(.typedProxyTargets))
        let id = "\(pod).\(ns)"
        guard try await client.runningProxies().contains(where: { $0.pod == pod && $0.namespace == ns }) else {
            throw IstioctlFailure("failed to execute command on sidecar: error execing into \(pod)/\(ns) istio-proxy container: no running proxy in the pod")
        }
        let plane = ControlPlane(env: env, client: client)
        guard let status = try await plane.syncz(revision: revision).flatMap(\.proxies).first(where: { $0.proxy == id }) else {
            throw IstioctlFailure("unable to find proxy \(id) in any istiod's config dump")
        }
        for line in Self.report(status, version: env.version) { Console.out(line) }
    }

    /// The comparator's lines: clusters, listeners, then routes.
    static func report(_ status: SyncStatus, version: IstioVersion) -> [String] {
        let source = version.has(.istiodColumnInProxyStatus) ? "Istiod" : "Pilot"
        var lines: [String] = []
        for (type, noun) in [(SyncStatus.XDSType.cluster, "Clusters"), (.listener, "Listeners"), (.route, "Routes")] {
            let nonces = status[type]
            if nonces.sent == nonces.acked {
                lines.append("\(noun) Match")
                continue
            }
            if type == .route { lines.append("Routes Don't Match") }
            lines += [
                "--- \(source) \(noun)", "+++ Envoy \(noun)", "@@ -1 +1 @@",
                "-nonce \(nonces.sent.isEmpty ? "(none sent)" : nonces.sent)",
                "+nonce \(nonces.acked.isEmpty ? "(none acknowledged)" : nonces.acked)", "",
            ]
        }
        return lines
    }
}

/// `[<type>/]<name>[.<namespace>]` as istioctl's `InferPodInfoFromTypedResource` reads it: a pod,
/// or the first pod of a Deployment (1.8+); before, `<pod-name>[.<namespace>]` only.
enum PodTarget {
    static func resolve(_ argument: String, namespace: String, client: KubeClient, typed: Bool) async throws -> (pod: String, namespace: String) {
        var kind = "pod", rest = argument
        if typed, let slash = argument.firstIndex(of: "/") {
            kind = String(argument[..<slash]).lowercased()
            rest = String(argument[argument.index(after: slash)...])
        }
        let (name, ns) = IstioctlEnvironment.podAndNamespace(rest, namespace: namespace)
        switch kind {
        case "pod", "pods", "po":
            guard try await client.get(.pods, namespace: ns, name) != nil else { throw IstioctlFailure("pods \"\(name)\" not found") }
            return (name, ns)
        case "deployment", "deployments", "deploy":
            guard let deployment = try await client.get(.deployments, namespace: ns, name) else {
                throw IstioctlFailure("deployments.apps \"\(name)\" not found")
            }
            guard let first = try await client.pods(of: deployment).first else { throw IstioctlFailure("no pods found for deployment \(name)") }
            return (first.name, ns)
        default:
            throw IstioctlFailure("can't find pods for resource type \(kind.goQuoted)")
        }
    }
}
