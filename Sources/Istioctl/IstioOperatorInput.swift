import Foundation
import JSON
import Kubernetes
import Istio
import Yams

/// The IstioOperator `spec` an install asks for: the `-f` files merged in order, then each
/// `--set path=value` on top (`revision=canary`, `values.global.hub=…`,
/// `components.ingressGateways[0].enabled=false`), as istioctl overlays them.
enum IstioOperatorInput {
    struct Invalid: Error, CustomStringConvertible {
        var description: String
    }

    static func spec(files: [String], sets: [String]) throws(Invalid) -> JSONValue {
        var spec: JSONValue = .object([:])
        for file in files {
            let text: String
            do {
                text = file == "-" ? (readStdin()) : try String(contentsOfFile: file, encoding: .utf8)
            } catch {
                throw Invalid(description: "could not read values from file \(file): open \(file): no such file or directory")
            }
            guard let document = (try? Yams.load(yaml: text)).flatMap(json), case .object = document else {
                throw Invalid(description: "could not unmarshal \(file) as an IstioOperator")
            }
            if let kind = document["kind"]?.stringValue, kind != "IstioOperator" {
                throw Invalid(description: "\(file): expected kind IstioOperator, got \(kind)")
            }
            spec = merge(spec, document["spec"] ?? .object([:]))
        }
        for assignment in sets {
            guard let eq = assignment.firstIndex(of: "=") else {
                throw Invalid(description: "--set \(assignment): expected path=value")
            }
            let path = String(assignment[..<eq]).trimmingPrefix("spec.")
            let value = String(assignment[assignment.index(after: eq)...])
            spec = set(spec, path: path.split(separator: ".").map(String.init), to: scalar(value))
        }
        return spec
    }

    static func readStdin() -> String {
        var lines: [String] = []
        while let line = readLine(strippingNewline: false) { lines.append(line) }
        return lines.joined()
    }

    /// A `--set` value: booleans and integers as such, anything else a string.
    static func scalar(_ s: String) -> JSONValue {
        if s == "true" { return true }
        if s == "false" { return false }
        if let i = Int64(s) { return .int(i) }
        return .string(s)
    }

    /// Overlay: objects merge key by key, anything else is replaced.
    static func merge(_ base: JSONValue, _ overlay: JSONValue) -> JSONValue {
        guard case .object(var b) = base, case .object(let o) = overlay else { return overlay }
        for (k, v) in o { b[k] = b[k].map { merge($0, v) } ?? v }
        return .object(b)
    }

    /// Sets `path` (elements may be `name[index]`) inside `value`, creating what is missing.
    static func set(_ value: JSONValue, path: [String], to leaf: JSONValue) -> JSONValue {
        guard let head = path.first else { return leaf }
        let rest = Array(path.dropFirst())
        var object = value.objectValue ?? [:]
        if let open = head.firstIndex(of: "["), head.hasSuffix("]"), let index = Int(head[head.index(after: open)..<head.index(before: head.endIndex)]) {
            let key = String(head[..<open])
            var array = object[key]?.arrayValue ?? []
            while array.count <= index { array.append(.object([:])) }
            array[index] = set(array[index], path: rest, to: leaf)
            object[key] = .array(array)
        } else {
            object[head] = set(object[head] ?? .object([:]), path: rest, to: leaf)
        }
        return .object(object)
    }

    /// Yams' `Any` tree as JSON.
    static func json(_ any: Any) -> JSONValue? {
        switch any {
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(Int64(i))
        case let d as Double: return .double(d)
        case let s as String: return .string(s)
        case let a as [Any]: return .array(a.compactMap(json))
        case let m as [String: Any]: return .object(JSONObject(m.compactMapValues(json)))
        case let m as [AnyHashable: Any]:
            var o: JSONObject = [:]
            for (k, v) in m { o["\(k.base)"] = json(v) }
            return .object(o)
        case is NSNull: return .null
        default: return nil
        }
    }
}

extension String {
    fileprivate func trimmingPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
