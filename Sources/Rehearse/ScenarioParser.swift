import Foundation
import Istio
import Kubernetes
import Yams

/// Reads a scenario file strictly: every key must be one `ScenarioSchema` allows, every value of
/// the type the format says, and a step needs a `run` or an `expect`. The first problem is
/// thrown as a `ScenarioError` with the line Yams' marks give, so a bad file is refused before
/// anything runs.
package struct ScenarioParser {
    let file: String

    package init(file: String) {
        self.file = file
    }

    package static func parse(_ text: String, file: String) throws(ScenarioError) -> Scenario {
        try ScenarioParser(file: file).scenario(text)
    }

    func scenario(_ text: String) throws(ScenarioError) -> Scenario {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw ScenarioError(file: file, line: Self.line(of: error), "not YAML: \(Self.problem(of: error))")
        } catch {
            throw ScenarioError(file: file, line: 0, "not YAML: \(error)")
        }
        guard let root else { throw ScenarioError(file: file, line: 0, "empty file; a scenario needs name and steps") }
        let map = try mapping(root, "scenario")
        guard let name = try map["name"].map({ n throws(ScenarioError) in try string(n, "name") }), !name.isEmpty else {
            throw ScenarioError(file: file, line: line(root), "a scenario needs a name")
        }
        let world = try map["world"].map { n throws(ScenarioError) in try worldSource(n) } ?? .bookinfo
        var istio: IstioVersion? = .v1_5_4
        if let node = map["istio"] {
            let text = try string(node, "istio")
            if text == "none" {
                istio = nil
            } else {
                istio = try release(node, "istio", allowNone: true)
            }
        }
        let istioctl = try map["istioctl"].map { n throws(ScenarioError) in try release(n, "istioctl") } ?? (istio ?? .v1_6_0)
        guard let stepsNode = map["steps"] else { throw ScenarioError(file: file, line: line(root), "a scenario needs steps (a list)") }
        guard case .sequence(let seq) = stepsNode, !seq.isEmpty else {
            throw ScenarioError(file: file, line: line(stepsNode), "steps must be a non-empty list of steps")
        }
        var steps: [Step] = []
        for node in seq { steps.append(try step(node, index: steps.count + 1)) }
        if case .file(let dump) = world {
            // The dump is read when the scenario starts; a missing file is refused before anything runs.
            var isDirectory: ObjCBool = false
            let path = Scenario.resolve(dump, besides: file)
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                throw ScenarioError(file: file, line: line(map.node("world")), "world.from: no such file \(path)")
            }
        }
        return Scenario(name: name, file: file, world: world, istio: istio, istioctl: istioctl, steps: steps)
    }

    func worldSource(_ node: Node) throws(ScenarioError) -> Scenario.WorldSource {
        if case .mapping = node {
            let map = try mapping(node, "world")
            guard let from = map["from"] else { throw ScenarioError(file: file, line: line(node), "world as a mapping needs from: FILE") }
            return .file(try string(from, "world.from"))
        }
        let text = try string(node, "world")
        guard text == ScenarioSchema.bookinfo else {
            throw ScenarioError(file: file, line: line(node), "world must be bookinfo or {from: FILE}, not \(text)")
        }
        return .bookinfo
    }

    func step(_ node: Node, index: Int) throws(ScenarioError) -> Step {
        let map = try mapping(node, "step")
        let run = try map["run"].map { n throws(ScenarioError) in try string(n, "run") }
        let expect = try map["expect"].map { n throws(ScenarioError) in try expectation(n) }
        guard run != nil || expect != nil else {
            throw ScenarioError(file: file, line: line(node), "step \(index) needs run (a shell command) or expect (what must hold), or both")
        }
        let name = try map["name"].map { n throws(ScenarioError) in try string(n, "name") } ?? (run ?? "check \(index)")
        let istioctl = try map["istioctl"].map { n throws(ScenarioError) in try release(n, "istioctl") }
        let timeout = try map["timeout"].map { n throws(ScenarioError) in try duration(n, "timeout") } ?? Step.defaultTimeout
        return Step(name: name, run: run, istioctl: istioctl, timeout: timeout, expect: expect ?? StepExpectation(), line: line(node))
    }

    func expectation(_ node: Node) throws(ScenarioError) -> StepExpectation {
        let map = try mapping(node, "expect")
        var e = StepExpectation()
        if let n = map["exit"] {
            guard let code = int(n), (0...255).contains(code) else {
                throw ScenarioError(file: file, line: line(n), "exit must be an exit status from 0 to 255, not \(n.string ?? "a \(kind(n))")")
            }
            e.exit = Int32(code)
        }
        e.stdout = try map["stdout"].map { n throws(ScenarioError) in try texts(n, "stdout") } ?? []
        e.stderr = try map["stderr"].map { n throws(ScenarioError) in try texts(n, "stderr") } ?? []
        e.proxies = try oneOrMany(map["proxies"]) { n throws(ScenarioError) in try proxies(n) }
        e.pods = try oneOrMany(map["pods"]) { n throws(ScenarioError) in try pods(n) }
        e.events = try oneOrMany(map["events"]) { n throws(ScenarioError) in try events(n) }
        e.nacks = try oneOrMany(map["nacks"]) { n throws(ScenarioError) in
            let m = try mapping(n, "nacks")
            guard let rev = m["revision"], let count = m["count"] else {
                throw ScenarioError(file: file, line: line(n), "nacks needs revision and count")
            }
            return NackExpectation(revision: try string(rev, "revision"), count: try nonNegative(count, "count"))
        }
        e.webhook = try oneOrMany(map["webhook"]) { n throws(ScenarioError) in
            let m = try mapping(n, "webhook")
            guard let ns = m["namespace"], let rev = m["revision"] else {
                throw ScenarioError(file: file, line: line(n), "webhook needs namespace and revision (none for no injection)")
            }
            return WebhookExpectation(
                namespace: try string(ns, "namespace"), labels: try m["labels"].map { l throws(ScenarioError) in try labels(l) } ?? [:],
                revision: try string(rev, "revision"))
        }
        e.within = try map["within"].map { n throws(ScenarioError) in try duration(n, "within") }
        if e.within != nil, e.exit == nil, e.stdout.isEmpty, e.stderr.isEmpty, !e.checksCluster {
            throw ScenarioError(file: file, line: line(node), "within needs something to wait for (exit, stdout, stderr, proxies, pods, events, nacks, webhook)")
        }
        return e
    }

    func proxies(_ node: Node) throws(ScenarioError) -> ProxyExpectation {
        let m = try mapping(node, "proxies")
        var p = ProxyExpectation(selection: try selection(m))
        p.revision = try m["revision"].map { n throws(ScenarioError) in try string(n, "revision") }
        p.version = try m["version"].map { n throws(ScenarioError) in try string(n, "version") }
        if let n = m["status"] {
            let text = try string(n, "status")
            guard let status = ProxyExpectation.Status(rawValue: text) else {
                throw ScenarioError(
                    file: file, line: line(n),
                    "status must be one of \(ProxyExpectation.Status.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
            }
            p.status = status
        }
        p.count = try m["count"].map { n throws(ScenarioError) in try nonNegative(n, "count") }
        return p
    }

    func pods(_ node: Node) throws(ScenarioError) -> PodExpectation {
        let m = try mapping(node, "pods")
        var p = PodExpectation(selection: try selection(m))
        p.ready = try m["ready"].map { n throws(ScenarioError) in
            guard Self.tag(n) == Tag.Name.bool, let b = n.bool else { throw ScenarioError(file: file, line: line(n), "ready must be true or false") }
            return b
        }
        p.phase = try m["phase"].map { n throws(ScenarioError) in try string(n, "phase") }
        p.count = try m["count"].map { n throws(ScenarioError) in try nonNegative(n, "count") }
        return p
    }

    func events(_ node: Node) throws(ScenarioError) -> EventExpectation {
        let m = try mapping(node, "events")
        var e = EventExpectation()
        e.namespace = try m["namespace"].map { n throws(ScenarioError) in try string(n, "namespace") }
        e.reason = try m["reason"].map { n throws(ScenarioError) in try string(n, "reason") }
        e.message = try m["message"].map { n throws(ScenarioError) in try texts(n, "message") } ?? []
        if let n = m["object"] {
            let text = try string(n, "object")
            guard text.split(separator: "/").count == 2 else {
                throw ScenarioError(file: file, line: line(n), "object must be KIND/NAME-PREFIX (replicaset/details-v1), not \(text)")
            }
            e.object = text
        }
        e.count = try m["count"].map { n throws(ScenarioError) in try nonNegative(n, "count") }
        return e
    }

    func selection(_ m: Mapping) throws(ScenarioError) -> Selection {
        var s = Selection()
        s.namespace = try m["namespace"].map { n throws(ScenarioError) in try string(n, "namespace") }
        s.name = try m["name"].map { n throws(ScenarioError) in try string(n, "name") }
        if let n = m["selector"] {
            let text = try string(n, "selector")
            do throws(WorldError) { _ = try LabelSelector(parsing: text) } catch {
                throw ScenarioError(file: file, line: line(n), "selector \(text) is not a label selector: \(error.message)")
            }
            s.selector = text
        }
        return s
    }

    func texts(_ node: Node, _ key: String) throws(ScenarioError) -> [TextExpectation] {
        let m = try mapping(node, "text", key: key)
        guard !m.entries.isEmpty else {
            throw ScenarioError(file: file, line: line(node), "\(key) needs at least one of contains, matches, equals, lacks")
        }
        var out: [TextExpectation] = []
        for (k, n) in m.entries {
            let value = try string(n, "\(key).\(k)")
            switch k {
            case "contains": out.append(.contains(value))
            case "equals": out.append(.equals(value))
            case "lacks": out.append(.lacks(value))
            default:
                do { _ = try NSRegularExpression(pattern: value) } catch {
                    throw ScenarioError(file: file, line: line(n), "\(key).matches is not a regular expression: \(value)")
                }
                out.append(.matches(value))
            }
        }
        return out
    }

    func labels(_ node: Node) throws(ScenarioError) -> [String: String] {
        guard case .mapping(let m) = node else { throw ScenarioError(file: file, line: line(node), "labels must be a mapping of label keys to values") }
        var out: [String: String] = [:]
        for (k, v) in m { out[try string(k, "label key")] = try string(v, "label \(k.string ?? "")") }
        return out
    }

    // MARK: Scalars

    func release(_ node: Node, _ key: String, allowNone: Bool = false) throws(ScenarioError) -> IstioVersion {
        let text = try string(node, key)
        guard let version = IstioVersion(text), text.split(separator: ".").count == 3 else {
            throw ScenarioError(file: file, line: line(node), "\(key) must be an Istio release such as 1.6.0\(allowNone ? ", or none" : ""); not \(text)")
        }
        return version
    }

    func string(_ node: Node, _ key: String) throws(ScenarioError) -> String {
        guard case .scalar(let s) = node, Self.tag(node) != Tag.Name.null else {
            throw ScenarioError(file: file, line: line(node), "\(key) must be a string, not \(kind(node))")
        }
        return s.string
    }

    func int(_ node: Node) -> Int? {
        guard case .scalar = node, Self.tag(node) == Tag.Name.int else { return nil }
        return node.int
    }

    func nonNegative(_ node: Node, _ key: String) throws(ScenarioError) -> Int {
        guard let n = int(node), n >= 0 else {
            throw ScenarioError(file: file, line: line(node), "\(key) must be a whole number ≥ 0, not \(node.string ?? "a \(kind(node))")")
        }
        return n
    }

    func duration(_ node: Node, _ key: String) throws(ScenarioError) -> Duration {
        let text = try string(node, key)
        guard let d = Self.duration(text) else {
            throw ScenarioError(file: file, line: line(node), "\(key) must be a duration such as 500ms, 60s, 5m or 1m30s; not \(text)")
        }
        return d
    }

    /// Go's duration syntax without fractions: one or more NUMBER UNIT, units ms, s, m, h.
    package static func duration(_ text: String) -> Duration? {
        var total: Int64 = 0
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard let n = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let unit = rest.prefix { $0.isLetter }
            rest = rest.dropFirst(unit.count)
            switch unit {
            case "ms": total += n
            case "s": total += n * 1000
            case "m": total += n * 60_000
            case "h": total += n * 3_600_000
            default: return nil
            }
        }
        return .milliseconds(total)
    }

    // MARK: Mappings

    /// A mapping whose keys are all allowed for `context`, in file order.
    struct Mapping {
        var entries: [(String, Node)]
        var keyNodes: [String: Node]
        subscript(key: String) -> Node? { entries.first { $0.0 == key }?.1 }
        func node(_ key: String) -> Node? { keyNodes[key] }
    }

    func mapping(_ node: Node, _ context: String, key: String? = nil) throws(ScenarioError) -> Mapping {
        let allowed = ScenarioSchema.keys[context] ?? []
        let noun = key ?? ScenarioSchema.nouns[context] ?? context
        guard case .mapping(let m) = node else {
            throw ScenarioError(
                file: file, line: line(node), "\(noun) must be a mapping with keys \(allowed.joined(separator: ", ")); not \(kind(node))")
        }
        var out = Mapping(entries: [], keyNodes: [:])
        for (k, v) in m {
            guard case .scalar(let s) = k, allowed.contains(s.string) else {
                throw ScenarioError(
                    file: file, line: line(k),
                    "unknown key \"\(k.string ?? "?")\" in \(noun); allowed: \(allowed.joined(separator: ", "))")
            }
            guard out.keyNodes[s.string] == nil else {
                throw ScenarioError(file: file, line: line(k), "key \"\(s.string)\" given twice in \(noun)")
            }
            out.entries.append((s.string, v))
            out.keyNodes[s.string] = k
        }
        return out
    }

    /// A value that may be one mapping or a list of them.
    func oneOrMany<T>(_ node: Node?, _ each: (Node) throws(ScenarioError) -> T) throws(ScenarioError) -> [T] {
        guard let node else { return [] }
        if case .sequence(let seq) = node {
            var out: [T] = []
            for n in seq { out.append(try each(n)) }
            return out
        }
        return [try each(node)]
    }

    func line(_ node: Node?) -> Int { node?.mark?.line ?? 0 }

    func kind(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let s):
            switch Self.tag(node) {
            case Tag.Name.null: "empty"
            case Tag.Name.int, Tag.Name.float: "a number (\(s.string))"
            case Tag.Name.bool: "a boolean (\(s.string))"
            default: "a string"
            }
        }
    }

    /// The resolved tag (`tag:yaml.org,2002:int`, …): what the scalar's plain text reads as.
    static func tag(_ node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.description) }

    static func line(of error: YamlError) -> Int {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: 0
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _): problem
        default: "\(error)"
        }
    }
}
