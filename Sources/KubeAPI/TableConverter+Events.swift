import JSON
import Kubernetes

/// `printEvent` (`pkg/printers/internalversion/printers.go@v1.32.0`), as the API server runs it
/// for `as=Table` (always wide; kubectl hides the priority-1 columns unless `-o wide`):
/// LAST SEEN, TYPE, REASON, OBJECT, SUBOBJECT, SOURCE, MESSAGE, FIRST SEEN, COUNT, NAME.
extension TableConverter {
    func eventCells(_ e: KubeObject) -> [JSONValue] {
        func since(_ field: String) -> String? {
            guard let text = e.body[field]?.stringValue, let t = Timestamp(rfc3339: text) else { return nil }
            return t.age(at: now)
        }
        // Events made through events.k8s.io (the scheduler's) have eventTime and no first/last.
        let first = since("firstTimestamp") ?? since("eventTime") ?? "<unknown>"
        var last = since("lastTimestamp") ?? first
        var count = e.body["count"]?.intValue ?? 0
        if let series = e.body["series"], case .object = series {
            last = series["lastObservedTime"]?.stringValue.flatMap { Timestamp(rfc3339: $0) }?.age(at: now) ?? "<unknown>"
            count = series["count"]?.intValue ?? 0
        } else if count == 0 {
            count = 1
        }
        let ref = e.body["involvedObject"] ?? .object([:])
        let kind = (ref["kind"]?.stringValue ?? "").lowercased()
        let name = ref["name"]?.stringValue ?? ""
        let target = name.isEmpty ? kind : "\(kind)/\(name)"
        // formatEventSource: component (else the reporting controller), then ", host" if any.
        let component = e.body["source"]?["component"]?.stringValue ?? ""
        let host = e.body["source"]?["host"]?.stringValue ?? ""
        let instance = host.isEmpty ? e.body["reportingInstance"]?.stringValue ?? "" : host
        let source = (component.isEmpty ? e.body["reportingComponent"]?.stringValue ?? "" : component)
            + (instance.isEmpty ? "" : ", \(instance)")
        return [
            .string(last), e.body["type"] ?? "", e.body["reason"] ?? "", .string(target), ref["fieldPath"] ?? "",
            .string(source), .string((e.body["message"]?.stringValue ?? "").trimmedSpaces), .string(first), .int(count),
            .string(e.name),
        ]
    }
}
