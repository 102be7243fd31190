import JSON
import Kubernetes
/// Istio's ValidatingWebhookConfigurations, per release: Base's `istiod-<ns>` → `istiod` (to 1.10),
/// the per-revision `istio-validator[-<rev>]-<ns>` → `istiod[-<rev>]` (1.11+) and the default tag's
/// `istiod-default-validator` (1.12+). All are installed `failurePolicy: Ignore`; a serving istiod
/// turns its own to `Fail` (`failingClosed`).
extension IstioManifest {
    static let validationGroups12: [JSONValue] = ["security.istio.io", "networking.istio.io", "telemetry.istio.io", "extensions.istio.io"]

    static func validationHook(
        name: String, service: String, namespace: String, groups: [JSONValue], objectSelector: JSONValue,
        timeoutSeconds: Int64, failurePolicy: String = "Ignore"
    ) -> JSONValue {
        [
            "name": .string(name),
            "clientConfig": [
                "service": ["name": .string(service), "namespace": .string(namespace), "path": "/validate", "port": 443],
                "caBundle": "",
            ],
            "rules": [
                ["operations": ["CREATE", "UPDATE"], "apiGroups": .array(groups), "apiVersions": ["*"], "resources": ["*"], "scope": "*"]
            ],
            "failurePolicy": .string(failurePolicy), "matchPolicy": "Equivalent", "sideEffects": "None",
            "admissionReviewVersions": ["v1beta1", "v1"], "timeoutSeconds": .int(timeoutSeconds),
            "namespaceSelector": .object([:]), "objectSelector": objectSelector,
        ]
    }

    /// Base's validator (≤ 1.10): always bound to service `istiod`, whatever the revision (#28211):
    /// the reason a dead default istiod breaks every later install
    /// (`manifests/charts/base/templates/validatingwebhookconfiguration.yaml@1.10.0`).
    static func baseValidator(_ spec: IstioInstallSpec) -> KubeObject {
        object(
            .validatingWebhookConfigurations, "istiod-\(spec.namespace)", spec, .base,
            labels: ["app": "istiod", "istio": "istiod", "release": "istio"],
            body: [
                "webhooks": [
                    validationHook(
                        name: "validation.istio.io", service: "istiod", namespace: spec.namespace,
                        groups: [
                            "config.istio.io", "rbac.istio.io", "security.istio.io", "authentication.istio.io", "networking.istio.io",
                        ], objectSelector: .object([:]), timeoutSeconds: 30)
                ]
            ])
    }

    /// The revision's own validator (1.11+): `rev.validation.istio.io` for config labelled with the
    /// revision; in 1.11 also `validation.istio.io` for unlabelled config
    /// (`…/istio-discovery/templates/validatingwebhookconfiguration.yaml@1.11.0`, `@1.20.0`).
    static func revisionValidator(_ spec: IstioInstallSpec) -> KubeObject {
        let v = spec.version
        var hooks = [
            validationHook(
                name: "rev.validation.istio.io", service: spec.istiodName, namespace: spec.namespace,
                groups: v.has(.defaultValidationInRevisionValidator) ? ["security.istio.io", "networking.istio.io"] : validationGroups12,
                objectSelector: selector([expression("istio.io/rev", "In", [spec.revisionLabel])]), timeoutSeconds: 10)
        ]
        if v.has(.defaultValidationInRevisionValidator) {
            hooks.append(
                validationHook(
                    name: "validation.istio.io", service: spec.istiodName, namespace: spec.namespace,
                    groups: ["security.istio.io", "networking.istio.io", "telemetry.istio.io"],
                    objectSelector: selector([expression("istio.io/rev", "DoesNotExist")]), timeoutSeconds: 10))
        }
        return object(
            .validatingWebhookConfigurations, "istio-validator\(spec.suffix)-\(spec.namespace)", spec, .pilot,
            labels: ["app": "istiod", "istio": "istiod", "release": "istio", "istio.io/rev": spec.revisionLabel],
            body: ["webhooks": .array(hooks)])
    }

    /// `istiod-default-validator` (1.12+): validation of config without `istio.io/rev` goes to the
    /// default tag's revision (`manifests/charts/default/templates/validatingwebhook.yaml@1.20.0`).
    /// `failurePolicy` stays `Fail` when the validator it replaces had been closed
    /// (`fixWhConfig`, `istioctl/pkg/tag/generate.go@1.20.0`).
    package static func defaultValidator(revision: String, labels: [String: String], namespace: String, failurePolicy: String)
        -> KubeObject
    {
        let service = revision == "default" ? "istiod" : "istiod-\(revision)"
        var merged = labels
        for (k, v) in ["app": "istiod", "istio": "istiod", "istio.io/rev": revision, "istio.io/tag": "default", "operator.istio.io/component": "Pilot"] {
            merged[k] = v
        }
        let hook = validationHook(
            name: "validation.istio.io", service: service, namespace: namespace, groups: validationGroups12,
            objectSelector: selector([expression("istio.io/rev", "DoesNotExist")]), timeoutSeconds: 10, failurePolicy: failurePolicy)
        return KubeObject(
            resource: .validatingWebhookConfigurations, metadata: ObjectMeta(name: "istiod-default-validator", labels: merged),
            body: ["webhooks": [hook]])
    }

    /// The Service `istiod` that 1.10's `install --revision` adds when none exists and Base's
    /// validator calls it: every istiod behind it, no `istio.io/rev` (so no revision's uninstall
    /// removes it) (`createIstiodService`, `operator/cmd/mesh/install.go@1.10.0`).
    package static func istiodServiceForRevisions(_ spec: IstioInstallSpec) -> KubeObject {
        var defaultSpec = spec
        defaultSpec.revision = ""
        var labels = operatorLabels(defaultSpec, .pilot)
        labels["istio.io/rev"] = nil
        labels["install.operator.istio.io/owning-resource"] = "unknown"
        for (k, v) in ["app": "istiod", "istio": "pilot", "release": "istio"] { labels[k] = v }
        return KubeObject(
            resource: .services, metadata: ObjectMeta(name: "istiod", namespace: spec.namespace, labels: labels),
            body: ["spec": ["selector": ["app": "istiod"], "ports": .array(istiodPorts(spec.version))]])
    }

    /// What a running istiod's webhook controller does to Istio's validators once it can serve:
    /// `failurePolicy: Fail`. nil when there is nothing to change. A revision's own validators
    /// (`istio-validator-…`, `istiod-default-validator`: names with `validator`, the test Istio
    /// itself uses in `DeleteDeprecatedValidator`) are closed only by that revision's istiod
    /// (`serving` names the revisions with a ready istiod; the controller selects
    /// `istio.io/rev=<rev>`, `pkg/webhooks/validation/controller/controller.go@1.20.0`).
    package static func failingClosed(_ validator: KubeObject, serving: Set<String>? = nil) -> KubeObject? {
        guard validator.resource == .validatingWebhookConfigurations, validator.labels["app"] == "istiod" else { return nil }
        if let serving, validator.name.contains("validator"), !serving.contains(validator.labels["istio.io/rev"] ?? "default") { return nil }
        var changed = false
        var v = validator
        v.body["webhooks"] = .array(
            (validator.body["webhooks"]?.arrayValue ?? []).map { hook in
                guard hook["name"]?.stringValue?.hasSuffix("validation.istio.io") == true, hook["failurePolicy"] != "Fail" else { return hook }
                changed = true
                var h = hook
                h["failurePolicy"] = "Fail"
                return h
            })
        return changed ? v : nil
    }
}

extension World {
    /// `validator` as a serving istiod's webhook controller leaves it: closed (`Fail`) only once a
    /// dry run of invalid config is rejected through it, i.e. the Service each webhook calls
    /// reaches a ready istiod (`isDryRunOfInvalidConfigRejected`,
    /// `pkg/webhooks/validation/controller/controller.go@1.10.0`). So a 1.10 revision's istiod
    /// leaves Base's validator open while no Service `istiod` exists. nil: nothing to change.
    package func closingValidation(_ validator: KubeObject, serving: Set<String>) -> KubeObject? {
        guard let closed = IstioManifest.failingClosed(validator, serving: serving) else { return nil }
        let reachable = (validator.body["webhooks"]?.arrayValue ?? []).allSatisfy { hook in
            guard let service = hook[path: ["clientConfig", "service", "name"]]?.stringValue else { return true }
            let namespace = hook[path: ["clientConfig", "service", "namespace"]]?.stringValue ?? "istio-system"
            return webhookCallFailure(webhook: "", postURL: "", service: service, namespace: namespace) == nil
        }
        return reachable ? closed : nil
    }
}
