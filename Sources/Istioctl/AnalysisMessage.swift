import JSON
import Istio

/// One analyzer message as istioctl prints it in its log format (`diag.Message.String`,
/// `galley/pkg/config/analysis/diag/message.go@1.6.0`, `pkg/config/analysis/diag/message.go@1.20.0`):
/// `Warning [IST0103] (Pod details-v1-x.default) The pod is missing the Istio proxy. …`.
struct AnalysisMessage: Hashable, Sendable {
    enum Level: String, Sendable, Comparable {
        case error = "Error", warning = "Warning", info = "Info"

        /// diag's sortOrder: errors first.
        var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .info: 2
            }
        }

        static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

        init?(flag: String) {
            switch flag.lowercased() {
            case "error": self = .error
            case "warning", "warn": self = .warning
            case "info": self = .info
            default: return nil
            }
        }
    }

    var level: Level
    var code: String
    /// The resource's kind, namespace (empty when cluster-scoped) and name.
    var kind: String
    var namespace: String
    var name: String
    var text: String

    /// `Pod name.namespace` before 1.12, `Pod namespace/name` after; `Namespace name` either way.
    func origin(_ version: IstioVersion) -> String {
        if name.isEmpty { return kind }
        if namespace.isEmpty { return "\(kind) \(name)" }
        return version.has(.slashedOriginNames) ? "\(kind) \(namespace)/\(name)" : "\(kind) \(name).\(namespace)"
    }

    func rendered(_ version: IstioVersion) -> String {
        "\(level.rawValue) [\(code)] (\(origin(version))) \(text)"
    }

    /// `Message.Unstructured(true)` as `json.Marshal` writes a map: keys sorted; the documentation
    /// link with `?ref=istioctl-analyze` (SetDocRef); `documentation_url` before 1.10.
    func json(_ version: IstioVersion, docs: String) -> JSONValue {
        let urlKey = version.has(.camelCaseDocumentationURL) ? "documentationUrl" : "documentation_url"
        return .object(JSONObject([
            ("code", .string(code)), (urlKey, .string("\(docs)/\(code.lowercased())/?ref=istioctl-analyze")),
            ("level", .string(level.rawValue)), ("message", .string(text)), ("origin", .string(origin(version))),
        ]))
    }

    /// diag's `SortedDedupedCopy`: by level, code, then resource.
    static func sorted(_ messages: [AnalysisMessage]) -> [AnalysisMessage] {
        var seen = Set<AnalysisMessage>()
        return messages.filter { seen.insert($0).inserted }.sorted {
            ($0.level.rank, $0.code, $0.kind, $0.name, $0.namespace, $0.text) < ($1.level.rank, $1.code, $1.kind, $1.name, $1.namespace, $1.text)
        }
    }
}
