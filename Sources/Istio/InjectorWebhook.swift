import JSON
import Kubernetes
/// One Istio sidecar-injector webhook as the API server sees it: which pods it is called for
/// (its namespace and object selectors) and which istiod it calls. Read from the stored
/// MutatingWebhookConfigurations, so edits made with kubectl (or `tag set default` deactivating the
/// old injector) change injection exactly as they would on a real cluster.
package struct InjectorWebhook: Hashable, Sendable {
    /// The MutatingWebhookConfiguration's name; the API server calls configurations in name order.
    package var configuration: String
    /// The webhook's own name (`sidecar-injector.istio.io`, `rev.namespace.sidecar-injector.istio.io`, …).
    package var name: String
    package var namespaceSelector: LabelSelector
    package var objectSelector: LabelSelector
    /// The Service it calls (`istiod-canary` in `istio-system`).
    package var service: String
    package var serviceNamespace: String
    /// The control-plane revision behind the service (`default` for the non-revisioned one).
    package var revision: String
    /// The revision tag this webhook implements, if it is a tag's.
    package var tag: String?
    /// The Istio release of that revision: it decides what its injector does with a pod.
    package var version: IstioVersion
    package var timeoutSeconds: Int64
    /// `Fail` (admissionregistration/v1's default, and Istio's): a call that fails refuses the
    /// pod; `Ignore`: the API server goes on without this webhook's mutation.
    package var failurePolicy: String = "Fail"

    package init(
        configuration: String, name: String, namespaceSelector: LabelSelector, objectSelector: LabelSelector,
        service: String, serviceNamespace: String, revision: String, tag: String?, version: IstioVersion,
        timeoutSeconds: Int64
    ) {
        self.configuration = configuration
        self.name = name
        self.namespaceSelector = namespaceSelector
        self.objectSelector = objectSelector
        self.service = service
        self.serviceNamespace = serviceNamespace
        self.revision = revision
        self.tag = tag
        self.version = version
        self.timeoutSeconds = timeoutSeconds
    }

    /// The revision a service name belongs to: `istiod` → `default`, `istiod-canary` → `canary`.
    package static func revision(ofService service: String) -> String {
        service.hasPrefix("istiod-") ? String(service.dropFirst("istiod-".count)) : "default"
    }

    /// The Istio injector webhooks of one MutatingWebhookConfiguration (none if it is not Istio's).
    /// `versionOf` supplies a revision's release when the configuration does not carry
    /// `operator.istio.io/version` (tags never do).
    package static func webhooks(of configuration: KubeObject, versionOf: (String) -> IstioVersion?) -> [InjectorWebhook] {
        guard configuration.resource == .mutatingWebhookConfigurations else { return [] }
        var result: [InjectorWebhook] = []
        for hook in configuration.body["webhooks"]?.arrayValue ?? [] {
            guard let name = hook["name"]?.stringValue, name.hasSuffix(IstioManifest.injectorWebhookName),
                let service = hook[path: ["clientConfig", "service", "name"]]?.stringValue
            else { continue }
            let serviceNamespace = hook[path: ["clientConfig", "service", "namespace"]]?.stringValue ?? "istio-system"
            let revision = configuration.labels["istio.io/rev"] ?? revision(ofService: service)
            guard
                let version = configuration.labels["operator.istio.io/version"].flatMap(IstioVersion.init) ?? versionOf(revision)
            else { continue }
            // A missing selector matches everything in admissionregistration/v1.
            let namespaceSelector = (try? LabelSelector(json: hook["namespaceSelector"] ?? .object([:]))) ?? LabelSelector()
            let objectSelector = (try? LabelSelector(json: hook["objectSelector"] ?? .object([:]))) ?? LabelSelector()
            result.append(
                InjectorWebhook(
                    configuration: configuration.name, name: name, namespaceSelector: namespaceSelector,
                    objectSelector: objectSelector, service: service, serviceNamespace: serviceNamespace, revision: revision,
                    tag: configuration.labels["istio.io/tag"], version: version,
                    timeoutSeconds: hook["timeoutSeconds"]?.intValue ?? 30))
            result[result.count - 1].failurePolicy = hook["failurePolicy"]?.stringValue ?? "Fail"
        }
        return result
    }

    /// Whether the API server calls this webhook for a pod with these labels in such a namespace.
    package func isCalled(namespaceLabels: [String: String], podLabels: [String: String]) -> Bool {
        namespaceSelector.matches(namespaceLabels) && objectSelector.matches(podLabels)
    }

    /// `Post https://istiod-canary.istio-system.svc:443/inject?timeout=30s` as the API server
    /// quotes it: unquoted by the Go of 2020-era API servers talking to v1beta1 (30 s) webhooks,
    /// quoted once Istio's webhooks moved to v1 (10 s) on newer clusters.
    var postURL: String {
        let url = "https://\(service).\(serviceNamespace).svc:443/inject?timeout=\(timeoutSeconds)s"
        return timeoutSeconds == 30 ? "Post \(url)" : "Post \"\(url)\""
    }
}
