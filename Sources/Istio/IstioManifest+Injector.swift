import JSON
import Kubernetes
/// The sidecar-injector MutatingWebhookConfigurations: a revision's own (`istio-sidecar-injector[-<rev>]`)
/// and revision tags (`istio-revision-tag-<tag>`), with the selectors of each release
/// (docs/istio-facts.md §4, §7.2). Injection is decided by evaluating exactly these selectors, so what
/// `kubectl get mutatingwebhookconfigurations -o yaml` shows is what the emulator obeys.
extension IstioManifest {
    static let injectorWebhookName = "sidecar-injector.istio.io"

    static func expression(_ key: String, _ op: String, _ values: [String] = []) -> JSONValue {
        var e: JSONObject = ["key": .string(key), "operator": .string(op)]
        if !values.isEmpty { e["values"] = .array(values.map { .string($0) }) }
        return .object(e)
    }

    static func selector(_ expressions: [JSONValue]) -> JSONValue { ["matchExpressions": .array(expressions)] }

    static func injectorWebhook(
        name: String, service: String, namespace: String, version: IstioVersion, namespaceSelector: JSONValue,
        objectSelector: JSONValue = .object([:])
    ) -> JSONValue {
        [
            "name": .string(name),
            "clientConfig": [
                "service": ["name": .string(service), "namespace": .string(namespace), "path": "/inject", "port": 443],
                "caBundle": "",
            ],
            "rules": [
                ["operations": ["CREATE"], "apiGroups": [""], "apiVersions": ["v1"], "resources": ["pods"], "scope": "*"]
            ],
            "failurePolicy": "Fail", "matchPolicy": "Equivalent", "reinvocationPolicy": "Never", "sideEffects": "None",
            "admissionReviewVersions": version.has(.admissionReviewV1) ? ["v1beta1", "v1"] : ["v1beta1"],
            // v1beta1 webhooks (before 1.10) default to 30 s, v1 ones to 10 s.
            "timeoutSeconds": version.has(.admissionRegistrationV1) ? 10 : 30,
            "namespaceSelector": namespaceSelector, "objectSelector": objectSelector,
        ]
    }

    /// The webhooks that send pods to `service`: for the revision labelled `revLabel` (a revision,
    /// or a tag's name), plus the `istio-injection`/`sidecar.istio.io/inject` ones when it is the default.
    static func injectorWebhooks(
        revLabel: String, isDefault: Bool, service: String, namespace: String, version: IstioVersion
    ) -> [JSONValue] {
        let notFalse = expression("sidecar.istio.io/inject", "NotIn", ["false"])
        if version.has(.perPodRevisionWebhooks) {
            var hooks = [
                injectorWebhook(
                    name: "rev.namespace.\(injectorWebhookName)", service: service, namespace: namespace, version: version,
                    namespaceSelector: selector([expression("istio.io/rev", "In", [revLabel]), expression("istio-injection", "DoesNotExist")]),
                    objectSelector: selector([notFalse])),
                injectorWebhook(
                    name: "rev.object.\(injectorWebhookName)", service: service, namespace: namespace, version: version,
                    namespaceSelector: selector([expression("istio.io/rev", "DoesNotExist"), expression("istio-injection", "DoesNotExist")]),
                    objectSelector: selector([notFalse, expression("istio.io/rev", "In", [revLabel])])),
            ]
            if isDefault {
                hooks.append(
                    injectorWebhook(
                        name: "namespace.\(injectorWebhookName)", service: service, namespace: namespace, version: version,
                        namespaceSelector: selector([expression("istio-injection", "In", ["enabled"])]),
                        objectSelector: selector([notFalse])))
                hooks.append(
                    injectorWebhook(
                        name: "object.\(injectorWebhookName)", service: service, namespace: namespace, version: version,
                        namespaceSelector: selector([expression("istio-injection", "DoesNotExist"), expression("istio.io/rev", "DoesNotExist")]),
                        objectSelector: selector([expression("sidecar.istio.io/inject", "In", ["true"]), expression("istio.io/rev", "DoesNotExist")])))
            }
            return hooks
        }
        let namespaceSelector: JSONValue
        if isDefault {
            namespaceSelector = ["matchLabels": ["istio-injection": "enabled"]]
        } else if version.has(.injectionLabelOverridesRevision) {
            namespaceSelector = selector([expression("istio-injection", "DoesNotExist"), expression("istio.io/rev", "In", [revLabel])])
        } else {
            namespaceSelector = selector([expression("istio-injection", "NotIn", ["disabled"]), expression("istio.io/rev", "In", [revLabel])])
        }
        return [
            injectorWebhook(
                name: injectorWebhookName, service: service, namespace: namespace, version: version,
                namespaceSelector: namespaceSelector)
        ]
    }

    /// `istio-sidecar-injector[-<rev>]`.
    static func injectorConfiguration(_ spec: IstioInstallSpec) -> KubeObject {
        var labels = ["app": "sidecar-injector", "release": "istio"]
        if spec.version.has(.revisionLabelOnControlPlane) { labels["istio.io/rev"] = spec.revisionLabel }
        let hooks = injectorWebhooks(
            revLabel: spec.revisionLabel, isDefault: spec.revision.isEmpty, service: spec.istiodName, namespace: spec.namespace,
            version: spec.version)
        return object(.mutatingWebhookConfigurations, "istio-sidecar-injector\(spec.suffix)", spec, .pilot, labels: labels, body: ["webhooks": .array(hooks)])
    }

    /// `istio-revision-tag-<tag>` (1.10+): `istio.io/rev=<tag>` leads to `revision`'s istiod.
    /// The `default` tag also takes `istio-injection=enabled` and `sidecar.istio.io/inject=true`.
    package static func tagConfiguration(tag: String, revision: String, version: IstioVersion, namespace: String = "istio-system") -> KubeObject {
        let service = revision == "default" ? "istiod" : "istiod-\(revision)"
        let hooks = injectorWebhooks(revLabel: tag, isDefault: tag == "default", service: service, namespace: namespace, version: version)
        return KubeObject(
            resource: .mutatingWebhookConfigurations,
            metadata: ObjectMeta(
                name: namespace == "istio-system" ? "istio-revision-tag-\(tag)" : "istio-revision-tag-\(tag)-\(namespace)",
                labels: ["istio.io/tag": tag, "istio.io/rev": revision, "app": "sidecar-injector"]),
            body: ["webhooks": .array(hooks)])
    }

    /// What 1.12+ `tag set default` does to the old default injector: it stays, matching nothing.
    package static let neverMatch: JSONValue = ["matchLabels": ["istio.io/deactivated": "never-match"]]

    package static func deactivated(_ configuration: KubeObject) -> KubeObject {
        var c = configuration
        c.body["webhooks"] = .array(
            (c.body["webhooks"]?.arrayValue ?? []).map { hook in
                var h = hook
                h["namespaceSelector"] = neverMatch
                h["objectSelector"] = neverMatch
                return h
            })
        return c
    }
}
