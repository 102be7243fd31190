import JSON
/// The field labels the API server selects Events by (`ToSelectableFields` in
/// `pkg/registry/core/event/strategy.go@v1.32.0`): what `kubectl describe` sends
/// (`involvedObject.name/namespace/kind/uid`) and what `kubectl events --for` and
/// `--types` use. `source` is the source component, else the reporting controller.
extension FieldSelector {
    static let eventFields: [String: @Sendable (KubeObject) -> String] = {
        func ref(_ field: String) -> @Sendable (KubeObject) -> String {
            { $0.body["involvedObject"]?[field]?.stringValue ?? "" }
        }
        return [
            "involvedObject.kind": ref("kind"), "involvedObject.namespace": ref("namespace"),
            "involvedObject.name": ref("name"), "involvedObject.uid": ref("uid"),
            "involvedObject.apiVersion": ref("apiVersion"), "involvedObject.resourceVersion": ref("resourceVersion"),
            "involvedObject.fieldPath": ref("fieldPath"),
            "reason": { $0.body["reason"]?.stringValue ?? "" },
            "reportingComponent": { $0.body["reportingComponent"]?.stringValue ?? "" },
            "source": { o in
                let component = o.body["source"]?["component"]?.stringValue ?? ""
                return component.isEmpty ? o.body["reportingComponent"]?.stringValue ?? "" : component
            },
            "type": { $0.body["type"]?.stringValue ?? "" },
        ]
    }()
}
