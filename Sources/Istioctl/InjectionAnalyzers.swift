import JSON
import Kubernetes
import Istio

/// The analyzers canary upgrades care about, computed from the cluster's objects as `istioctl
/// analyze` computes them (messages from `pkg/config/analysis/msg/messages.yaml@TAG`,
/// `galley/…` before 1.16):
/// - IST0102 NamespaceNotInjected and IST0103 PodMissingProxy (`analyzers/injection/injection.go`);
/// - IST0105 IstioProxyImageMismatch, 1.5–1.17 (`analyzers/injection/injection-image.go`);
/// - IST0139 InvalidWebhook, 1.10+ (`analyzers/webhook/webhook.go`): injector webhooks that
///   would both inject one pod.
struct InjectionAnalyzers {
    var version: IstioVersion
    var namespaces: [KubeObject]
    var pods: [KubeObject]
    /// ConfigMaps of the Istio namespace (the injector's `values`).
    var configMaps: [KubeObject]
    var webhookConfigurations: [KubeObject]

    /// Namespaces no analyzer looks at (`inject.IgnoredNamespaces`, pkg/kube/inject/initializer.go@1.20.0),
    /// plus the Istio namespace itself.
    static let ignoredNamespaces: Set<String> = ["kube-system", "kube-public", "kube-node-lease", "local-path-storage", "istio-system"]

    var messages: [AnalysisMessage] {
        var all = namespaceAndPodMessages
        if version.has(.proxyImageMismatchAnalyzer) { all += imageMismatches }
        if version.has(.webhookAnalyzer) { all += webhookOverlaps }
        return all
    }

    /// Namespaces labelled `istio-injection=enabled`: the only ones whose pods the injection analyzers check.
    var injectedNamespaces: Set<String> {
        Set(namespaces.filter { $0.labels["istio-injection"] == "enabled" }.map(\.name))
    }

    var namespaceAndPodMessages: [AnalysisMessage] {
        var out: [AnalysisMessage] = []
        for ns in namespaces where !Self.ignoredNamespaces.contains(ns.name) {
            if (ns.labels["istio-injection"] ?? "").isEmpty, ns.labels["istio.io/rev"] == nil {
                let infoLevel = version.has(.namespaceNotInjectedIsInfo)
                let text = "The namespace is not enabled for Istio injection. Run 'kubectl label namespace \(ns.name) istio-injection=enabled' to enable it, or 'kubectl label namespace \(ns.name) istio-injection=disabled' to explicitly mark it as not needing injection"
                out.append(
                    AnalysisMessage(
                        level: infoLevel ? .info : .warning, code: "IST0102", kind: "Namespace", namespace: "", name: ns.name,
                        text: text + (infoLevel ? "." : "")))
            }
        }
        let injected = injectedNamespaces
        for pod in pods where injected.contains(pod.namespace) && !pod.isTerminating {
            var inject = pod.metadata.annotations["sidecar.istio.io/inject"]
            if version.has(.injectionLabelOnPods), let label = pod.labels["sidecar.istio.io/inject"] { inject = label }
            if inject?.lowercased() == "false" || pod.spec["hostNetwork"]?.boolValue == true { continue }
            if Self.proxyImage(pod) == nil {
                let text = version.has(.podNameInMissingProxy)
                    ? "The pod \(pod.namespace)/\(pod.name) is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload."
                    : "The pod is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload."
                out.append(AnalysisMessage(level: .warning, code: "IST0103", kind: "Pod", namespace: pod.namespace, name: pod.name, text: text))
            }
        }
        return out
    }

    static func proxyImage(_ pod: KubeObject) -> String? {
        (pod.spec["containers"]?.arrayValue ?? []).first { $0["name"]?.stringValue == "istio-proxy" }?["image"]?.stringValue
    }

    /// The proxy image the default injector (`istio-sidecar-injector`) would inject: its `values`'
    /// `global.hub`/`global.proxy.image`/`global.tag` (GetIstioProxyImage).
    var injectorImage: String? {
        guard let cm = configMaps.first(where: { $0.name == "istio-sidecar-injector" }),
            let text = cm.body["data"]?["values"]?.stringValue, let values = try? JSONValue(parsing: text)
        else { return nil }
        let global = values["global"]
        let image = global?["proxy"]?["image"]?.stringValue ?? "proxyv2"
        if image.contains("/") { return image }
        return "\(global?["hub"]?.stringValue ?? "")/\(image):\(global?["tag"]?.stringValue ?? "")"
    }

    var imageMismatches: [AnalysisMessage] {
        guard let expected = injectorImage else { return [] }
        let injected = injectedNamespaces
        return pods.compactMap { pod in
            guard injected.contains(pod.namespace), pod.metadata.annotations["sidecar.istio.io/proxyImage"] == nil,
                let image = Self.proxyImage(pod), image != expected
            else { return nil }
            return AnalysisMessage(
                level: .warning, code: "IST0105", kind: "Pod", namespace: pod.namespace, name: pod.name,
                text: "The image of the Istio proxy running on the pod does not match the image defined in the injection configuration (pod image: \(image); injection configuration image: \(expected)). This often happens after upgrading the Istio control-plane and can be fixed by redeploying the pod.")
        }
    }

    /// For every namespace/pod label combination Istio's selectors look at (with each revision
    /// found), more than one matching injector webhook is an overlap, reported on each.
    var webhookOverlaps: [AnalysisMessage] {
        var hooks: [(id: String, configuration: String, namespace: LabelSelector, object: LabelSelector)] = []
        var revisions = Set<String>()
        for c in webhookConfigurations {
            let istio = (c.body["webhooks"]?.arrayValue ?? []).contains { ($0["name"]?.stringValue ?? "").hasSuffix("sidecar-injector.istio.io") }
            let revs = Self.revisions(c)
            guard istio || !revs.isEmpty else { continue }
            revisions.formUnion(revs)
            for h in c.body["webhooks"]?.arrayValue ?? [] {
                let ns = (try? LabelSelector(json: h["namespaceSelector"] ?? .object([:]))) ?? LabelSelector()
                let obj = (try? LabelSelector(json: h["objectSelector"] ?? .object([:]))) ?? LabelSelector()
                hooks.append(("\(c.name)/\(h["name"]?.stringValue ?? "")", c.name, ns, obj))
            }
        }
        func permutations(_ key: String, _ values: [String]) -> [[String: String]] {
            let base: [[String: String]] = [[:]] + values.map { [key: $0] }
            return base + revisions.sorted().flatMap { rev in base.map { $0.merging(["istio.io/rev": rev]) { a, _ in a } } }
        }
        var out: [AnalysisMessage] = []
        for nl in permutations("istio-injection", ["enabled", "disabled"]) {
            for ol in permutations("sidecar.istio.io/inject", ["true", "false"]) {
                let matches = hooks.filter { $0.namespace.matches(nl) && $0.object.matches(ol) }
                guard matches.count > 1 else { continue }
                for m in matches {
                    let others = matches.filter { $0.id != m.id }.map(\.id).sorted()
                    out.append(
                        AnalysisMessage(
                            level: .error, code: "IST0139", kind: "MutatingWebhookConfiguration", namespace: "", name: m.configuration,
                            text: "Webhook overlaps with others: [\(others.joined(separator: " "))]. This may cause injection to occur twice."))
                }
            }
        }
        return out
    }

    /// extractRevisions: the configuration's `istio.io/rev` label and the revisions its selectors name.
    static func revisions(_ configuration: KubeObject) -> Set<String> {
        var revs = Set<String>()
        if let rev = configuration.labels["istio.io/rev"] { revs.insert(rev) }
        for h in configuration.body["webhooks"]?.arrayValue ?? [] {
            for key in ["namespaceSelector", "objectSelector"] {
                if let v = h[key]?["matchLabels"]?["istio.io/rev"]?.stringValue { revs.insert(v) }
                for e in h[key]?["matchExpressions"]?.arrayValue ?? [] where e["key"]?.stringValue == "istio.io/rev" && e["operator"]?.stringValue == "In" {
                    for v in e["values"]?.arrayValue ?? [] { if let s = v.stringValue { revs.insert(s) } }
                }
            }
        }
        return revs
    }
}
