import JSON
import Kubernetes
/// Istio's sidecar injection as the API server runs it: for each new pod, every injector webhook
/// whose selectors match is called (a dead istiod refuses the pod, `failurePolicy: Fail`), and the
/// first whose istiod agrees injects its sidecar (`SidecarTemplate`). A restart creates new pods,
/// so it re-decides with the labels in force at that moment.
package struct SidecarInjector: AdmissionControl {
    package init() {}

    package func admit(_ object: inout KubeObject, operation: AdmissionOperation, in world: World) throws(WorldError) {
        guard object.resource == .pods, operation == .create else { return }
        let hooks = world.injectorWebhooks()
        guard !hooks.isEmpty else { return }
        let pod = object
        let decide = { (webhooks: [InjectorWebhook]) in
            InjectionDecision.decide(
                namespace: pod.namespace, namespaceLabels: world.namespaceLabels(pod.namespace) ?? [:],
                podLabels: pod.labels, podAnnotations: pod.metadata.annotations,
                hostNetwork: pod.spec["hostNetwork"]?.boolValue ?? false, webhooks: webhooks)
        }
        let decision = decide(hooks)
        // The API server calls each webhook in turn (`pkg/admission/plugin/webhook/mutating/
        // dispatcher.go@v1.32.0`): a failed call refuses the pod under `failurePolicy: Fail`
        // and is skipped, unmutated, under `Ignore`.
        var unreachable: Set<InjectorWebhook> = []
        for hook in decision.called {
            if let failure = world.webhookCallFailure(
                webhook: hook.name, postURL: hook.postURL, service: hook.service, namespace: hook.serviceNamespace)
            {
                guard hook.failurePolicy == "Ignore" else { throw failure }
                unreachable.insert(hook)
            }
        }
        let reachable = unreachable.isEmpty ? decision : decide(hooks.filter { !unreachable.contains($0) })
        guard let injector = reachable.injectedBy else { return }
        SidecarTemplate.inject(into: &object, by: injector)
    }
}

/// Istio's validating webhook (`validation.istio.io`) as the API server runs it for Istio config:
/// with `failurePolicy: Fail` and no istiod behind service `istiod`, every create or update of an
/// object in a group its rules list is refused with the error the seed shows — the installer's
/// EnvoyFilters and a user's VirtualServices, DestinationRules, Gateways alike.
package struct IstioConfigValidation: AdmissionControl {
    package init() {}

    package func admit(_ object: inout KubeObject, operation: AdmissionOperation, in world: World) throws(WorldError) {
        guard object.resource.group.hasSuffix("istio.io") else { return }
        for configuration in world.list(.validatingWebhookConfigurations) {
            for hook in configuration.body["webhooks"]?.arrayValue ?? [] {
                guard hook["failurePolicy"]?.stringValue == "Fail", Self.covers(hook, object.resource.group, operation),
                    Self.selects(hook, object, in: world),
                    let service = hook[path: ["clientConfig", "service", "name"]]?.stringValue
                else { continue }
                let namespace = hook[path: ["clientConfig", "service", "namespace"]]?.stringValue ?? "istio-system"
                let path = hook[path: ["clientConfig", "service", "path"]]?.stringValue ?? "/"
                let timeout = hook["timeoutSeconds"]?.intValue ?? 30
                let url = "https://\(service).\(namespace).svc:443\(path)?timeout=\(timeout)s"
                if let failure = world.webhookCallFailure(
                    webhook: hook["name"]?.stringValue ?? "", postURL: timeout == 30 ? "Post \(url)" : "Post \"\(url)\"",
                    service: service, namespace: namespace)
                {
                    throw failure
                }
            }
        }
    }

    /// The webhook's object and namespace selectors (1.11+ validators split config by its
    /// `istio.io/rev` label: `rev.validation.istio.io` takes the revision's, the default validator
    /// the unlabelled); a missing selector selects everything.
    static func selects(_ hook: JSONValue, _ object: KubeObject, in world: World) -> Bool {
        let objectSelector = (try? LabelSelector(json: hook["objectSelector"] ?? .object([:]))) ?? LabelSelector()
        guard objectSelector.matches(object.labels) else { return false }
        let namespaceSelector = (try? LabelSelector(json: hook["namespaceSelector"] ?? .object([:]))) ?? LabelSelector()
        guard !object.namespace.isEmpty, !namespaceSelector.requirements.isEmpty else { return true }
        return namespaceSelector.matches(world.namespaceLabels(object.namespace) ?? [:])
    }

    static func covers(_ hook: JSONValue, _ group: String, _ operation: AdmissionOperation) -> Bool {
        (hook["rules"]?.arrayValue ?? []).contains { rule in
            let groups = (rule["apiGroups"]?.arrayValue ?? []).compactMap(\.stringValue)
            let operations = (rule["operations"]?.arrayValue ?? []).compactMap(\.stringValue)
            return (groups.contains(group) || groups.contains("*"))
                && (operations.contains(operation.rawValue) || operations.contains("*"))
        }
    }
}
