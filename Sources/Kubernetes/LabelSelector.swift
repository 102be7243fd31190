import JSON
/// A Kubernetes label selector, from either form: the query string kubectl sends
/// (`app=details,version!=v2,tier in (a,b),!canary,env`) or a `LabelSelector` object
/// (`matchLabels` + `matchExpressions`) as Deployments and webhooks carry.
public struct LabelSelector: Hashable, Sendable {
    public enum Requirement: Hashable, Sendable {
        case equals(String, String)
        case notEquals(String, String)
        case isIn(String, Set<String>)
        case notIn(String, Set<String>)
        case exists(String)
        case doesNotExist(String)

        func matches(_ labels: [String: String]) -> Bool {
            switch self {
            case .equals(let k, let v): labels[k] == v
            case .notEquals(let k, let v): labels[k] != v
            case .isIn(let k, let vs): labels[k].map(vs.contains) ?? false
            case .notIn(let k, let vs): !(labels[k].map(vs.contains) ?? false)
            case .exists(let k): labels[k] != nil
            case .doesNotExist(let k): labels[k] == nil
            }
        }
    }

    public var requirements: [Requirement]

    public init(_ requirements: [Requirement] = []) { self.requirements = requirements }

    /// Matches everything when empty, as an empty selector does in Kubernetes.
    public func matches(_ labels: [String: String]) -> Bool {
        requirements.allSatisfy { $0.matches(labels) }
    }

    public static func matchLabels(_ labels: [String: String]) -> LabelSelector {
        LabelSelector(labels.sorted { $0.key < $1.key }.map { .equals($0.key, $0.value) })
    }

    /// Parses the `labelSelector=` query form.
    public init(parsing text: String) throws(WorldError) {
        var reqs: [Requirement] = []
        for clause in Self.splitClauses(text) {
            let c = clause.trimmingSpaces
            if c.isEmpty { continue }
            if let r = c.firstRange(of: " notin ") ?? c.firstRange(of: " in ") {
                let key = String(c[..<r.lowerBound]).trimmingSpaces
                let negated = c[r].contains("notin")
                let rest = String(c[r.upperBound...]).trimmingSpaces
                guard rest.hasPrefix("("), rest.hasSuffix(")") else {
                    throw .badRequest("unable to parse requirement: found '\(rest)', expected: '('")
                }
                let values = Set(rest.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingSpaces })
                reqs.append(negated ? .notIn(key, values) : .isIn(key, values))
            } else if let r = c.firstRange(of: "!=") {
                reqs.append(.notEquals(String(c[..<r.lowerBound]).trimmingSpaces, String(c[r.upperBound...]).trimmingSpaces))
            } else if let r = c.firstRange(of: "==") ?? c.firstRange(of: "=") {
                reqs.append(.equals(String(c[..<r.lowerBound]).trimmingSpaces, String(c[r.upperBound...]).trimmingSpaces))
            } else if c.hasPrefix("!") {
                reqs.append(.doesNotExist(String(c.dropFirst()).trimmingSpaces))
            } else {
                reqs.append(.exists(c))
            }
        }
        self.requirements = reqs
    }

    /// Parses a `metav1.LabelSelector` object. A missing selector (nil) selects nothing in
    /// Kubernetes' webhook and workload APIs, which callers decide; this returns an empty one.
    public init(json: JSONValue) throws(WorldError) {
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

    /// Splits on commas that are not inside `( … )`.
    private static func splitClauses(_ s: String) -> [String] {
        var out: [String] = []
        var current = ""
        var depth = 0
        for ch in s {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if ch == ",", depth == 0 {
                out.append(current)
                current = ""
            } else {
                current.append(ch)
            }
        }
        out.append(current)
        return out
    }
}

/// `fieldSelector=` as kubectl uses it (`metadata.name=x`, `metadata.namespace=y`,
/// `status.phase=Running`, `spec.nodeName=n`), with `=`, `==` and `!=`.
public struct FieldSelector: Hashable, Sendable {
    public var requirements: [(field: String, value: String, equal: Bool)]

    public init(parsing text: String) throws(WorldError) {
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

    static let supported: Set<String> = ["metadata.name", "metadata.namespace", "status.phase", "spec.nodeName"]

    public func matches(_ object: KubeObject) -> Bool {
        requirements.allSatisfy { r in
            let actual: String =
                switch r.field {
                case "metadata.name": object.name
                case "metadata.namespace": object.namespace
                case "status.phase": object.status["phase"]?.stringValue ?? ""
                default: object.spec["nodeName"]?.stringValue ?? ""
                }
            return (actual == r.value) == r.equal
        }
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.requirements.map { "\($0.field)\($0.equal ? "=" : "!=")\($0.value)" }
            == b.requirements.map { "\($0.field)\($0.equal ? "=" : "!=")\($0.value)" }
    }
    public func hash(into h: inout Hasher) {
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

