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

extension FieldSelector {
    /// Event field labels select Events only, and the pod ones everything else, as the API
    /// server's per-kind field label conversions do: anything else is 400
    /// `field label not supported: <field>`.
    package func check(for resource: ResourceType) throws(WorldError) {
        let events = resource == .events || resource == .eventsV1
        for r in requirements where !r.field.hasPrefix("metadata.") && (Self.eventFields[r.field] != nil) != events {
            throw .badRequest("field label not supported: \(r.field)")
        }
    }
}
