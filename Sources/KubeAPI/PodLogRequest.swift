import JSON
import Kubernetes
import KubeRuntime

/// `GET …/pods/NAME/log`: the `PodLogOptions` of the query, checked against the pod as the API
/// server and the kubelet check them, then the container's lines from `ContainerLogs`.
///
/// The rules: the container is the one named, or the pod's only container; with several and none
/// named the API server answers 400 naming them, init containers first
/// (`validateContainer`, pkg/registry/core/pod/strategy.go@v1.32.0). kubectl names one itself
/// (the `kubectl.kubernetes.io/default-container` annotation, else the first), so only other
/// clients meet that rule. The kubelet refuses a container that has not started and a
/// `previous` instance that never existed (`validateContainerLogStatus`,
/// pkg/kubelet/kubelet_pods.go@v1.32.0); emulated containers never restart, so `previous` always
/// gets that answer. Options are validated as `ValidatePodLogOptions`
/// (pkg/apis/core/validation/validation.go@v1.32.0) does.
struct PodLogRequest: Sendable {
    var container: String?
    var follow = false
    var previous = false
    var timestamps = false
    var tailLines: Int?
    var limitBytes: Int?
    var sinceSeconds: Int64?
    var sinceTime: Timestamp?

    init(query: [String: String]) throws(WorldError) {
        func flag(_ name: String) throws(WorldError) -> Bool {
            guard let v = query[name] else { return false }
            switch v {
            case "true", "1", "": return true
            case "false", "0": return false
            default: throw .badRequest("invalid value for \(name): \(v) (allowed: true, false)")
            }
        }
        func number(_ name: String) throws(WorldError) -> Int64? {
            guard let v = query[name] else { return nil }
            guard let n = Int64(v) else { throw .badRequest("invalid value for \(name): \(v) (an integer)") }
            return n
        }
        container = query["container"].flatMap { $0.isEmpty ? nil : $0 }
        follow = try flag("follow")
        previous = try flag("previous")
        timestamps = try flag("timestamps")
        let tail = try number("tailLines")
        let limit = try number("limitBytes")
        sinceSeconds = try number("sinceSeconds")
        if let t = query["sinceTime"] {
            guard let parsed = Timestamp(rfc3339: t) else { throw .badRequest("invalid value for sinceTime: \(t) (an RFC 3339 time)") }
            sinceTime = parsed
        }
        var causes: [String] = []
        if let tail, tail < 0 { causes.append("tailLines: Invalid value: \(tail): must be greater than or equal to 0") }
        if let limit, limit < 1 { causes.append("limitBytes: Invalid value: \(limit): must be greater than 0") }
        if sinceSeconds != nil, sinceTime != nil { causes.append("at most one of `sinceTime` or `sinceSeconds` may be specified") }
        if let s = sinceSeconds, s < 1 { causes.append("sinceSeconds: Invalid value: \(s): must be greater than 0") }
        if !causes.isEmpty { throw .badRequest("PodLogOptions is invalid: " + causes.joined(separator: ", ")) }
        tailLines = tail.map { Int(clamping: $0) }
        limitBytes = limit.map { Int(clamping: $0) }
    }

    /// The container whose log is asked for, or the API server's or kubelet's refusal.
    func resolve(in pod: KubeObject) throws(WorldError) -> String {
        let names = { (field: String) in (pod.spec[field]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue } }
        let containers = names("containers")
        let all = names("initContainers") + containers + names("ephemeralContainers")
        let name: String
        if let container {
            guard all.contains(container) else { throw .badRequest("container \(container) is not valid for pod \(pod.name)") }
            name = container
        } else if containers.count == 1 {
            name = containers[0]
        } else if containers.isEmpty {
            throw .badRequest("a container name must be specified for pod \(pod.name)")
        } else {
            throw .badRequest("a container name must be specified for pod \(pod.name), choose one of: [\(all.joined(separator: " "))]")
        }
        if previous {
            throw .badRequest("previous terminated container \"\(name)\" in pod \"\(pod.name)\" not found")
        }
        if Self.isWaiting(name, in: pod) {
            throw .badRequest("container \"\(name)\" in pod \"\(pod.name)\" is waiting to start: ContainerCreating")
        }
        return name
    }

    /// A container with no started status (the pod is still being created).
    static func isWaiting(_ container: String, in pod: KubeObject) -> Bool {
        let statuses = (pod.status["containerStatuses"]?.arrayValue ?? []) + (pod.status["initContainerStatuses"]?.arrayValue ?? [])
        guard let status = statuses.first(where: { $0["name"]?.stringValue == container }) else { return true }
        return status["state"]?["waiting"] != nil
    }

    /// The lines to send now, after `since`, `tailLines` and `limitBytes`, as text.
    func render(_ lines: [LogLine], now: Timestamp) -> String {
        var selected = lines
        if let since = sinceTime ?? sinceSeconds.map({ Timestamp(milliseconds: now.milliseconds - $0 * 1000) }) {
            selected = selected.filter { !($0.time < since) }
        }
        if let tailLines { selected = Array(selected.suffix(tailLines)) }
        let text = selected.map(format).joined()
        guard let limitBytes, text.utf8.count > limitBytes else { return text }
        return String(decoding: text.utf8.prefix(limitBytes), as: UTF8.self)
    }

    func format(_ line: LogLine) -> String {
        (timestamps ? line.time.rfc3339(fractionDigits: 9) + " " : "") + line.text + "\n"
    }
}
