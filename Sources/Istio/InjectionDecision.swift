import JSON
import Kubernetes
/// Which revision injects a new pod, and why: the API server's webhook dispatch (every injector
/// webhook whose selectors match is called, configurations in name order) followed by the called
/// istiod's own `injectRequired` (docs/istio-facts.md §4). Pure and table-tested.
package struct InjectionDecision: Hashable, Sendable {
    /// The webhook that injected the pod; nil when none did.
    package var injectedBy: InjectorWebhook?
    /// Every webhook the API server calls for this pod, in call order (each must be reachable,
    /// or the pod is refused: Istio's injectors use `failurePolicy: Fail`).
    package var called: [InjectorWebhook]
    /// What `istioctl x check-inject` would print.
    package var reason: String

    package var revision: String? { injectedBy?.revision }
    package var version: IstioVersion? { injectedBy?.version }

    package static func decide(
        namespace: String, namespaceLabels: [String: String], podLabels: [String: String],
        podAnnotations: [String: String], hostNetwork: Bool = false, webhooks: [InjectorWebhook]
    ) -> InjectionDecision {
        let ordered = webhooks.enumerated().sorted { ($0.element.configuration, $0.offset) < ($1.element.configuration, $1.offset) }
            .map(\.element)
        let called = ordered.filter { $0.isCalled(namespaceLabels: namespaceLabels, podLabels: podLabels) }
        guard !called.isEmpty else {
            // An object selector's `sidecar.istio.io/inject NotIn [false]` is what kept the pod out.
            let optedOut = podLabels["sidecar.istio.io/inject"] == "false" && ordered.contains { !$0.objectSelector.requirements.isEmpty }
            let reason = optedOut ? "Pod has sidecar.istio.io/inject=false label" : noMatchReason(ordered)
            return InjectionDecision(injectedBy: nil, called: [], reason: reason)
        }
        var refusal = ""
        for hook in called {
            let (inject, why) = injectRequired(
                version: hook.version, namespace: namespace, podLabels: podLabels, podAnnotations: podAnnotations,
                hostNetwork: hostNetwork)
            if inject {
                return InjectionDecision(injectedBy: hook, called: called, reason: matchReason(hook, namespaceLabels, podLabels))
            }
            if refusal.isEmpty { refusal = why }
        }
        return InjectionDecision(injectedBy: nil, called: called, reason: refusal)
    }

    /// Injection for a set of installed revisions and tags, each injector rendered as that
    /// release's charts render it (a revision named `default` is the non-revisioned control plane).
    package static func decide(
        namespace: String = "default", namespaceLabels: [String: String], podLabels: [String: String] = [:],
        podAnnotations: [String: String] = [:], revisions: [(name: String, version: IstioVersion)],
        tags: [(tag: String, revision: String)] = []
    ) -> InjectionDecision {
        var configurations: [KubeObject] = revisions.map { r in
            IstioManifest.injectorConfiguration(IstioInstallSpec(version: r.version, revision: r.name == "default" ? "" : r.name))
        }
        let versions = Dictionary(revisions.map { ($0.name, $0.version) }, uniquingKeysWith: { a, _ in a })
        for t in tags {
            guard let version = versions[t.revision] else { continue }
            configurations.append(IstioManifest.tagConfiguration(tag: t.tag, revision: t.revision, version: version))
            if t.tag == "default", version.has(.defaultTag),
                let index = configurations.firstIndex(where: { $0.name == "istio-sidecar-injector" })
            {
                configurations[index] = IstioManifest.deactivated(configurations[index])
            }
        }
        let hooks = configurations.flatMap { InjectorWebhook.webhooks(of: $0, versionOf: { versions[$0] }) }
        return decide(
            namespace: namespace, namespaceLabels: namespaceLabels, podLabels: podLabels, podAnnotations: podAnnotations,
            webhooks: hooks)
    }

    /// istiod's `injectRequired` for its release: ignored namespaces, host network, the
    /// `sidecar.istio.io/inject` override, then the default policy (`enabled`).
    package static func injectRequired(
        version: IstioVersion, namespace: String, podLabels: [String: String], podAnnotations: [String: String],
        hostNetwork: Bool
    ) -> (Bool, String) {
        if ignoredNamespaces(version).contains(namespace) { return (false, "Namespace \(namespace) is ignored by the injector") }
        if hostNetwork { return (false, "Pod uses hostNetwork") }
        if podAnnotations["sidecar.istio.io/status"] != nil { return (false, "Pod is already injected") }
        let key = "sidecar.istio.io/inject"
        // Newer injectors read the label first (it also drives the object selectors), then the annotation.
        let fromLabel = version.has(.injectionLabelOnPods) ? podLabels[key] : nil
        // An empty value means "the namespace's default", as no value does.
        guard let value = fromLabel ?? podAnnotations[key], !value.isEmpty else { return (true, "") }
        let source = fromLabel != nil ? "label" : "annotation"
        if version.has(.injectValueTrueOrFalse) {
            switch value {
            case "true": return (true, "")
            case "false": return (false, "Pod has \(key)=false \(source)")
            default: return (true, "")  // "Only 'true' and 'false' are accepted. Falling back to default injection policy."
            }
        }
        // Through 1.26: `y|yes|true|on` (any case) forces injection, any other non-empty value disables it.
        if ["y", "yes", "true", "on"].contains(value.lowercased()) { return (true, "") }
        return (false, "Pod has \(key)=\(value) \(source)")
    }

    /// The namespaces the release's injector never injects (`ignoredNamespaces`,
    /// pkg/kube/inject/initializer.go@1.9.0; before, `kube-system` and `kube-public` only).
    package static func ignoredNamespaces(_ version: IstioVersion) -> [String] {
        version.has(.injectorIgnoresNodeLeaseNamespaces)
            ? ["kube-system", "kube-public", "kube-node-lease", "local-path-storage"] : ["kube-system", "kube-public"]
    }

    /// `Namespace label istio.io/rev=canary matches`: the first positive requirement that matched.
    static func matchReason(_ hook: InjectorWebhook, _ namespaceLabels: [String: String], _ podLabels: [String: String]) -> String {
        func positive(_ s: LabelSelector, _ labels: [String: String]) -> String? {
            for r in s.requirements {
                switch r {
                case .equals(let k, _), .isIn(let k, _): if let v = labels[k] { return "\(k)=\(v)" }
                default: continue
                }
            }
            return nil
        }
        let via = hook.tag.map { " (tag \($0) → revision \(hook.revision))" } ?? ""
        if let label = positive(hook.namespaceSelector, namespaceLabels) { return "Namespace label \(label) matches\(via)" }
        if let label = positive(hook.objectSelector, podLabels) { return "Pod label \(label) matches\(via)" }
        return "Webhook \(hook.name) matches\(via)"
    }

    /// `No matching namespace labels (…) or pod labels (…)`: the labels that would have selected
    /// one of the webhooks, read from their selectors.
    static func noMatchReason(_ hooks: [InjectorWebhook]) -> String {
        if hooks.isEmpty { return "No Istio injector webhook is installed" }
        func options(_ selectors: [LabelSelector]) -> [String] {
            var seen: [String] = []
            for s in selectors {
                for r in s.requirements {
                    let labels: [String] =
                        switch r {
                        case .equals(let k, let v): ["\(k)=\(v)"]
                        case .isIn(let k, let vs): vs.sorted().map { "\(k)=\($0)" }
                        default: []
                        }
                    for l in labels where !seen.contains(l) { seen.append(l) }
                }
            }
            return seen
        }
        let namespace = options(hooks.map(\.namespaceSelector))
        let pod = options(hooks.map(\.objectSelector))
        var reason = "No matching namespace labels (\(namespace.joined(separator: ", ")))"
        if !pod.isEmpty { reason += " or pod labels (\(pod.joined(separator: ", ")))" }
        return reason
    }

    /// One row per injector configuration, as `istioctl x check-inject` prints them: whether that
    /// configuration would inject the pod, and why (or why not).
    package static func perConfiguration(
        namespace: String, namespaceLabels: [String: String], podLabels: [String: String],
        podAnnotations: [String: String], webhooks: [InjectorWebhook]
    ) -> [(configuration: String, revision: String, injects: Bool, reason: String)] {
        var names: [String] = []
        for h in webhooks where !names.contains(h.configuration) { names.append(h.configuration) }
        return names.sorted().map { name in
            let hooks = webhooks.filter { $0.configuration == name }
            let d = decide(
                namespace: namespace, namespaceLabels: namespaceLabels, podLabels: podLabels, podAnnotations: podAnnotations,
                webhooks: hooks)
            return (name, hooks[0].tag ?? hooks[0].revision, d.injectedBy != nil, d.reason)
        }
    }
}
