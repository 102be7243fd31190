import Foundation
import Istio
import JSON
import Kubernetes

/// What a step's command did.
package struct CommandOutcome: Sendable, Hashable, Codable {
    /// The exit status; nil when it was killed at its timeout.
    package var exit: Int32?
    package var stdout: String
    package var stderr: String
    package var timedOut: Bool

    package init(exit: Int32?, stdout: String, stderr: String, timedOut: Bool = false) {
        self.exit = exit
        self.stdout = stdout
        self.stderr = stderr
        self.timedOut = timedOut
    }
}

/// Checks an expectation against a command's outcome and the cluster's facts. Pure: each failed
/// part gives one line saying what was expected and what came; no line means it holds.
package enum ExpectationCheck {
    package static func failures(_ e: StepExpectation, outcome: CommandOutcome?, facts: ClusterFacts?) -> [String] {
        var out: [String] = []
        if let outcome {
            let wanted = e.exit ?? 0
            if outcome.timedOut {
                out.append("the command was still running at its timeout and was killed")
            } else if outcome.exit != wanted {
                out.append("exit status \(outcome.exit.map(String.init) ?? "none"), expected \(wanted)")
            }
            out += e.stdout.compactMap { text($0, in: outcome.stdout, "stdout") }
            out += e.stderr.compactMap { text($0, in: outcome.stderr, "stderr") }
        }
        if let facts {
            out += e.proxies.flatMap { proxies($0, facts) }
            out += e.pods.flatMap { pods($0, facts.world) }
            out += e.events.compactMap { events($0, facts.world) }
            out += e.nacks.compactMap { nacks($0, facts) }
            out += e.webhook.compactMap { webhook($0, facts.world) }
        }
        return out
    }

    static func text(_ t: TextExpectation, in output: String, _ stream: String) -> String? {
        switch t {
        case .contains(let s): output.contains(s) ? nil : "\(stream) does not contain \(quoted(s))"
        case .lacks(let s): output.contains(s) ? "\(stream) contains \(quoted(s)), expected it absent" : nil
        case .equals(let s):
            trimmed(output) == trimmed(s) ? nil : "\(stream) is not exactly \(quoted(trimmed(s))) (it is \(quoted(trimmed(output))))"
        case .matches(let pattern):
            (try? NSRegularExpression(pattern: pattern))?.firstMatch(
                in: output, range: NSRange(output.startIndex..., in: output)) != nil
                ? nil : "\(stream) does not match /\(pattern)/"
        }
    }

    static func proxies(_ p: ProxyExpectation, _ facts: ClusterFacts) -> [String] {
        let label = "proxies" + describe(p.selection)
        let selected = facts.proxies.filter { select(p.selection, namespace: $0.namespace, name: $0.pod, labels: $0.labels) }
        var out: [String] = []
        if let count = p.count, selected.count != count {
            out.append("\(label): expected \(count), found \(selected.count)\(list(selected.map(\.id)))")
        }
        if p.count == nil, selected.isEmpty, p.revision != nil || p.version != nil || p.status != nil {
            out.append("\(label): none found")
        }
        func check(_ what: String, _ wanted: String?, _ value: (ClusterFacts.Proxy) -> String) {
            guard let wanted else { return }
            let off = selected.filter { value($0) != wanted }
            if !off.isEmpty {
                out.append(
                    "\(label): \(off.count) of \(selected.count) not \(what) \(wanted): "
                        + off.prefix(8).map { "\($0.id) (\(value($0)))" }.joined(separator: ", ") + (off.count > 8 ? ", …" : ""))
            }
        }
        check("on revision", p.revision, \.revision)
        check("at version", p.version, \.version)
        check("with status", p.status?.rawValue, \.status.rawValue)
        return out
    }

    static func pods(_ p: PodExpectation, _ world: World) -> [String] {
        let label = "pods" + describe(p.selection)
        let selected = world.list(.pods).filter {
            !$0.isTerminating && select(p.selection, namespace: $0.namespace, name: $0.name, labels: $0.labels)
        }.map(PodView.init)
        var out: [String] = []
        if let count = p.count, selected.count != count {
            out.append("\(label): expected \(count), found \(selected.count)\(list(selected.map(\.name)))")
        }
        if p.count == nil, selected.isEmpty { out.append("\(label): none found") }
        if let ready = p.ready {
            let off = selected.filter { $0.isReady != ready }
            if !off.isEmpty { out.append("\(label): \(off.count) not \(ready ? "ready" : "unready")\(list(off.map(\.name)))") }
        }
        if let phase = p.phase {
            let off = selected.filter { $0.phase != phase }
            if !off.isEmpty {
                out.append("\(label): \(off.count) not \(phase): " + off.prefix(8).map { "\($0.name) (\($0.phase))" }.joined(separator: ", "))
            }
        }
        return out
    }

    static func events(_ e: EventExpectation, _ world: World) -> String? {
        let matching = world.list(.events, namespace: e.namespace).filter { event in
            let body = event.json
            if let reason = e.reason, body["reason"]?.stringValue != reason { return false }
            let message = body["message"]?.stringValue ?? ""
            if e.message.contains(where: { text($0, in: message, "message") != nil }) { return false }
            if let object = e.object {
                let parts = object.split(separator: "/", maxSplits: 1).map(String.init)
                let kind = body[path: ["involvedObject", "kind"]]?.stringValue ?? ""
                let name = body[path: ["involvedObject", "name"]]?.stringValue ?? ""
                if kind.lowercased() != parts[0].lowercased() || !name.hasPrefix(parts[1]) { return false }
            }
            return true
        }
        var what = "events"
        if let ns = e.namespace { what += " in \(ns)" }
        if let reason = e.reason { what += " with reason \(reason)" }
        if let object = e.object { what += " about \(object)" }
        for m in e.message {
            switch m {
            case .contains(let s): what += " whose message contains \(quoted(s))"
            case .matches(let s): what += " whose message matches /\(s)/"
            case .equals(let s): what += " whose message is \(quoted(s))"
            case .lacks(let s): what += " whose message lacks \(quoted(s))"
            }
        }
        if let count = e.count {
            return matching.count == count ? nil : "\(what): expected \(count), found \(matching.count)"
        }
        return matching.isEmpty ? "\(what): none found" : nil
    }

    static func nacks(_ n: NackExpectation, _ facts: ClusterFacts) -> String? {
        let nacked = facts.proxies.filter { $0.revision == n.revision && $0.status != .notConnected && $0.nacked }
        return nacked.count == n.count
            ? nil : "proxies on revision \(n.revision) whose last answer was a NACK: expected \(n.count), found \(nacked.count)\(list(nacked.map(\.id)))"
    }

    static func webhook(_ w: WebhookExpectation, _ world: World) -> String? {
        let decision = world.injectionDecision(namespace: w.namespace, podLabels: w.labels)
        let revision = decision.revision ?? WebhookExpectation.none
        guard revision != w.revision else { return nil }
        let labels = w.labels.isEmpty ? "" : " with labels \(w.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))"
        return "injection of a new pod in \(w.namespace)\(labels): expected revision \(w.revision), got \(revision) (\(decision.reason))"
    }

    static func select(_ s: Selection, namespace: String, name: String, labels: [String: String]) -> Bool {
        if let ns = s.namespace, ns != namespace { return false }
        if let prefix = s.name, !name.hasPrefix(prefix) { return false }
        if let text = s.selector {
            // Checked when the file was read.
            guard let selector = try? LabelSelector(parsing: text) else { return false }
            return selector.matches(labels)
        }
        return true
    }

    static func describe(_ s: Selection) -> String {
        let parts = [s.namespace.map { "namespace=\($0)" }, s.selector.map { "selector=\($0)" }, s.name.map { "name=\($0)*" }]
            .compactMap { $0 }
        return parts.isEmpty ? "" : " (\(parts.joined(separator: " ")))"
    }

    static func list(_ names: [String]) -> String {
        names.isEmpty ? "" : ": " + names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", …" : "")
    }

    static func quoted(_ s: String) -> String { "\"\(s.count > 200 ? String(s.prefix(200)) + "…" : s)\"" }

    static func trimmed(_ s: String) -> String {
        var s = Substring(s)
        while s.last == "\n" || s.last == "\r" { s = s.dropLast() }
        return String(s)
    }
}
