import JSON
/// A Kubernetes label selector, from either form: the query string kubectl sends
/// (`app=details,version!=v2,tier in (a,b),!canary,env`) or a `LabelSelector` object
/// (`matchLabels` + `matchExpressions`) as Deployments and webhooks carry.
package struct LabelSelector: Hashable, Sendable {
    package enum Requirement: Hashable, Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)
        /// `key>N` / `key<N`: the label's value read as an integer (no match when it is not one).
        case greaterThan(String, Int64)
        case lessThan(String, Int64)

        package var key: String {
            switch self {
            case .equals(let k, _), .notEquals(let k, _), .isIn(let k, _), .notIn(let k, _), .exists(let k),
                .doesNotExist(let k), .greaterThan(let k, _), .lessThan(let k, _):
                k
            }
        }

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .equals(let k, let v): labels[k] == v
            case .notEquals(let k, let v): labels[k] != v
            case .isIn(let k, let vs): labels[k].map(vs.contains) ?? false
            case .notIn(let k, let vs): !(labels[k].map(vs.contains) ?? false)
            case .exists(let k): labels[k] != nil
            case .doesNotExist(let k): labels[k] == nil
            case .greaterThan(let k, let n): labels[k].flatMap { Int64($0) }.map { $0 > n } ?? false
            case .lessThan(let k, let n): labels[k].flatMap { Int64($0) }.map { $0 < n } ?? false
            }
        }
    }

    package var requirements: [Requirement]

    package init(_ requirements: [Requirement] = []) { self.requirements = requirements }

    /// Matches everything when empty, as an empty selector does in Kubernetes.
    package func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    package static func matchLabels(_ labels: [String: String]) -> LabelSelector {
        LabelSelector(labels.sorted { $0.key < $1.key }.map { .equals($0.key, $0.value) })
    }

    /// Parses a `metav1.LabelSelector` object. A missing selector (nil) selects nothing in
    /// Kubernetes' webhook and workload APIs, which callers decide; this returns an empty one.
    package init(json: JSONValue) throws(WorldError) {
        var reqs: [Requirement] = []
        for (k, v) in (json["matchLabels"]?.stringMap ?? [:]).sorted(by: { $0.key < $1.key }) {
            reqs.append(.equals(k, v))
        }
        for e in json["matchExpressions"]?.arrayValue ?? [] {
            guard let key = e["key"]?.stringValue, let op = e["operator"]?.stringValue else {
                throw .badRequest("matchExpressions: key and operator are required")
            }
            let values = Set((e["values"]?.arrayValue ?? []).compactMap(\.stringValue))
            switch op {
            case "In": reqs.append(.isIn(key, values))
            case "NotIn": reqs.append(.notIn(key, values))
            case "Exists": reqs.append(.exists(key))
            case "DoesNotExist": reqs.append(.doesNotExist(key))
            default: throw .badRequest("\"\(op)\" is not a valid label selector operator")
            }
        }
        self.requirements = reqs
    }
}

/// `fieldSelector=` as kubectl uses it (`metadata.name=x`, `metadata.namespace=y`,
/// `status.phase=Running`, `spec.nodeName=n`), with `=`, `==` and `!=`.
package struct FieldSelector: Hashable, Sendable {
    package var requirements: [(field: String, value: String, equal: Bool)]

    package init(parsing text: String) throws(WorldError) {
        var reqs: [(String, String, Bool)] = []
        for clause in text.split(separator: ",") {
            let c = String(clause)
            if let r = c.firstRange(of: "!=") {
                reqs.append((String(c[..<r.lowerBound]), String(c[r.upperBound...]), false))
            } else if let r = c.firstRange(of: "==") ?? c.firstRange(of: "=") {
                reqs.append((String(c[..<r.lowerBound]), String(c[r.upperBound...]), true))
            } else {
                throw .badRequest("invalid selector: '\(text)'; can't understand '\(c)'")
            }
        }
        for (field, _, _) in reqs where !Self.supported.contains(field) {
            throw .badRequest("field label not supported: \(field)")
        }
        self.requirements = reqs
    }

    static let supported = Set(["metadata.name", "metadata.namespace", "status.phase", "spec.nodeName"])
        .union(eventFields.keys)

    package func matches(_ object: KubeObject) -> Bool {
        requirements.allSatisfy { r in
            let actual: String =
                switch r.field {
                case "metadata.name": object.name
                case "metadata.namespace": object.namespace
                case "status.phase": object.status["phase"]?.stringValue ?? ""
                case let field where Self.eventFields[field] != nil: Self.eventFields[field]!(object)
                default: object.spec["nodeName"]?.stringValue ?? ""
                }
            return (actual == r.value) == r.equal
        }
    }

    package static func == (a: Self, b: Self) -> Bool {
        a.requirements.map { "\($0.field)\($0.equal ? "=" : "!=")\($0.value)" }
            == b.requirements.map { "\($0.field)\($0.equal ? "=" : "!=")\($0.value)" }
    }
    package func hash(into h: inout Hasher) {
        for r in requirements { h.combine("\(r.field)\(r.equal)\(r.value)") }
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

}

