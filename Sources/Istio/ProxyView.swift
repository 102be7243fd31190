import JSON
import Kubernetes
/// A pod's Istio proxy, read from the pod's own fields: the injected sidecar (`istio-proxy` next
/// to the app) or a gateway (`istio-proxy` as its only container, `proxy router`). The emulator's
/// proxy fleet connects one simulated proxy per running `ProxyView` to its revision's xDS server.
package struct ProxyView: Hashable, Sendable {
    package enum Kind: String, Hashable, Sendable {
        case sidecar
        /// Gateways: node type `router` in Istio's node id.
        case router
    }

    package var pod: PodView
    package var kind: Kind
    /// From the proxy image's tag, as `ISTIO_META_ISTIO_VERSION` is baked into proxyv2.
    package var istioVersion: String
    /// `istiod-canary.istio-system.svc:15012`.
    package var discoveryAddress: String
    /// The revision it belongs to: its `istio.io/rev` label (1.6–1.10), the status annotation's
    /// `revision` (1.11+), or else the discovery host (`istiod` → `default`).
    package var revision: String

    /// The host part of the discovery address (`istiod-canary.istio-system.svc`).
    package var discoveryHost: String { String(discoveryAddress.split(separator: ":").first ?? "") }
    /// `<pod>.<namespace>`, the proxy id istioctl shows.
    package var id: String { "\(pod.name).\(pod.namespace)" }

    /// nil when the pod has no Istio proxy.
    package init?(_ object: KubeObject) {
        guard object.resource == .pods else { return nil }
        let containers = object.spec["containers"]?.arrayValue ?? []
        guard let proxy = containers.first(where: { $0["name"] == "istio-proxy" }) else { return nil }
        let args = (proxy["args"]?.arrayValue ?? []).compactMap(\.stringValue)
        kind = args.contains("router") ? .router : .sidecar
        let image = proxy["image"]?.stringValue ?? ""
        istioVersion = image.lastIndex(of: ":").map { String(image[image.index(after: $0)...]) } ?? ""
        let env = Dictionary(
            (proxy["env"]?.arrayValue ?? []).compactMap { e -> (String, String)? in
                guard let n = e["name"]?.stringValue, let v = e["value"]?.stringValue else { return nil }
                return (n, v)
            }, uniquingKeysWith: { a, _ in a })
        let fromProxyConfig = env["PROXY_CONFIG"].flatMap { Self.discoveryAddress(inProxyConfig: $0) }
        discoveryAddress = fromProxyConfig ?? env["CA_ADDR"] ?? "istiod.istio-system.svc:15012"
        pod = PodView(object)
        let statusRevision = object.metadata.annotations["sidecar.istio.io/status"].flatMap(Self.revision(inStatus:))
        let host = String(discoveryAddress.split(separator: ":").first ?? "")
        let service = String(host.split(separator: ".").first ?? "")
        revision = (kind == .sidecar ? object.labels["istio.io/rev"] : nil) ?? statusRevision
            ?? InjectorWebhook.revision(ofService: service)
    }

    static func discoveryAddress(inProxyConfig json: String) -> String? { stringField("discoveryAddress", in: json) }

    static func revision(inStatus json: String) -> String? { stringField("revision", in: json) }

    /// The string under a top-level key of a JSON object the injector wrote; nil when the text is
    /// not JSON or the value is not a string.
    static func stringField(_ key: String, in json: String) -> String? {
        (try? JSONValue(parsing: json))?[key]?.stringValue
    }
}

extension World {
    /// Every pod with an Istio proxy, sorted by namespace then name.
    package func proxies(in namespace: String? = nil) -> [ProxyView] {
        list(.pods, namespace: namespace).compactMap(ProxyView.init)
    }
}
