import EmulatorAPI
import JSON
import Kubernetes
import Istio

/// Which istiod pods istioctl asks, and what it learns from them, per release (docs/istio-facts.md §1.3,
/// §7.3). Where a real istioctl execs `pilot-discovery version` and `pilot-discovery request GET
/// /debug/syncz` in each pod, this reads the pod's image tag and the emulator's syncz endpoint.
struct ControlPlane {
    var env: IstioctlEnvironment
    var client: KubeClient
    var namespace = "istio-system"

    /// One control-plane line's source: a Running pod with an `istio` label.
    struct Component: Hashable {
        var name: String
        var pod: String
        var version: String
        /// The pod's `istio.io/rev` (`default` without one): `ServerInfo.Revision` of
        /// `version -o json|yaml` from 1.20 (`revisionInVersionOutput`).
        var revision = "default"
    }

    /// `ProxyInfo.Type` of `version -o json|yaml` from 1.19 (`proxyTypeInVersionOutput`):
    /// `gateway` for a router, else `sidecar` (`ToUserFacingNodeType`, pkg/version/version.go@1.19.0).
    /// By proxy ID (`<pod>.<namespace>`).
    func proxyTypes() async throws -> [String: String] {
        var types: [String: String] = [:]
        for proxy in try await client.list(.pods).compactMap(ProxyView.init) {
            types[proxy.id] = proxy.kind == .router ? "gateway" : "sidecar"
        }
        return types
    }

    /// 1.5 lists every Running pod labelled `istio` (gateways too); 1.6–1.7 leave gateways out;
    /// 1.8+ ask only `app=istiod` pods. The component is the pod's `istio` label; its version the
    /// image tag of the binary istioctl would exec. In API list order (by name).
    func components(revision: String?) async throws -> [Component] {
        var selector: String
        if env.version.has(.versionAsksIstiodPods) {
            selector = "app=istiod"
        } else if env.version.has(.versionSkipsGateways) {
            selector = "istio,istio!=ingressgateway,istio!=egressgateway,istio!=ilbgateway"
        } else {
            selector = "istio"
        }
        if let revision, env.version.has(.revisionSelectsControlPlane) { selector += ",istio.io/rev=\(revision)" }
        let pods = try await client.list(.pods, namespace: namespace, labelSelector: selector)
            .filter { $0.status["phase"]?.stringValue == "Running" && !$0.isTerminating }
            .sorted { $0.name < $1.name }
        return pods.map { pod in
            let component = pod.labels["istio"] ?? ""
            let containers = pod.spec["containers"]?.arrayValue ?? []
            let wanted = component == "pilot" || component == "istiod" ? "discovery" : "istio-proxy"
            let container = containers.first { $0["name"]?.stringValue == wanted } ?? containers.first
            let image = container?["image"]?.stringValue ?? ""
            var version = image.lastIndex(of: ":").map { String(image[image.index(after: $0)...]) } ?? ""
            // 1.5's exec table knows pilot and the gateways, not 1.6's `istiod` component.
            if !env.version.has(.istioctlAsksIstiod), component == "istiod" { version = "" }
            return Component(name: component, pod: pod.name, version: version, revision: pod.labels["istio.io/rev"] ?? "default")
        }
    }

    /// The syncz of every Running pod istioctl would ask: `istio=pilot` pods in 1.5, `app=istiod`
    /// (plus the revision) from 1.6. Each proxy is connected to one istiod, so none repeats.
    func syncz(revision: String?) async throws -> [Syncz] {
        var selector = env.version.has(.istioctlAsksIstiod) ? "app=istiod" : "istio=pilot"
        if let revision, env.version.has(.revisionSelectsControlPlane) { selector += ",istio.io/rev=\(revision)" }
        let asked = Set(
            try await client.list(.pods, namespace: namespace, labelSelector: selector)
                .filter { $0.status["phase"]?.stringValue == "Running" && !$0.isTerminating }.map(\.name))
        return try await client.syncz().filter { asked.contains($0.istiod) }
    }
}
