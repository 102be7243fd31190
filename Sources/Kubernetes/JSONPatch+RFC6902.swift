import JSON
/// JSON Patch (RFC 6902, `kubectl patch --type json`): a list of add / remove / replace / move /
/// copy / test operations on JSON Pointer paths.
extension JSONPatch {
    package static func apply(operations patch: JSONValue, to target: JSONValue) throws(PatchError) -> JSONValue {
        guard case .array(let ops) = patch else {
            throw PatchError(message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch")
        }
        var doc = target
        for op in ops {
            guard let kind = op["op"]?.stringValue else { throw PatchError(message: "Unexpected kind: unknown") }
            guard let path = op["path"]?.stringValue else { throw PatchError(message: "missing path in \(kind) operation") }
            let tokens = try pointer(path)
            switch kind {
            case "add":
                guard let value = op["value"] else { throw PatchError(message: "missing value in add operation") }
                doc = try set(doc, tokens[...], value, insert: true)
            case "replace":
                guard let value = op["value"] else { throw PatchError(message: "missing value in replace operation") }
                _ = try get(doc, tokens[...], path)
                doc = try set(doc, tokens[...], value, insert: false)
            case "remove":
                _ = try get(doc, tokens[...], path)
                doc = try remove(doc, tokens[...])
            case "test":
                guard try get(doc, tokens[...], path) == op["value"] else {
                    throw PatchError(message: "testing value \(path) failed: test failed")
                }
            case "move", "copy":
                guard let from = op["from"]?.stringValue else { throw PatchError(message: "missing from in \(kind) operation") }
                let fromTokens = try pointer(from)
                let value = try get(doc, fromTokens[...], from)
                if kind == "move" { doc = try remove(doc, fromTokens[...]) }
                doc = try set(doc, tokens[...], value, insert: true)
            default:
                throw PatchError(message: "Unexpected kind: \(kind)")
            }
        }
        return doc
    }

    static func pointer(_ path: String) throws(PatchError) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw PatchError(message: "JSON pointer must be empty or start with a \"/\": \(path)") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    static func get(_ doc: JSONValue, _ tokens: ArraySlice<String>, _ path: String) throws(PatchError) -> JSONValue {
        guard let first = tokens.first else { return doc }
        switch doc {
        case .object(let o):
            guard let child = o[first] else { throw PatchError(message: "jsonpatch: path \(path) does not exist") }
            return try get(child, tokens.dropFirst(), path)
        case .array(let a):
            guard let i = Int(first), a.indices.contains(i) else { throw PatchError(message: "jsonpatch: path \(path) does not exist") }
            return try get(a[i], tokens.dropFirst(), path)
        default:
            throw PatchError(message: "jsonpatch: path \(path) does not exist")
        }
    }

    static func set(_ doc: JSONValue, _ tokens: ArraySlice<String>, _ value: JSONValue, insert: Bool) throws(PatchError) -> JSONValue {
        guard let first = tokens.first else { return value }
        let last = tokens.count == 1
        switch doc {
        case .object(var o):
            if last {
                o[first] = value
            } else {
                guard let child = o[first] else { throw PatchError(message: "jsonpatch: missing parent for /\(first)") }
                o[first] = try set(child, tokens.dropFirst(), value, insert: insert)
            }
            return .object(o)
        case .array(var a):
            if last, first == "-" {
                a.append(value)
                return .array(a)
            }
            guard let i = Int(first), i >= 0, i <= a.count, last ? (insert || i < a.count) : i < a.count else {
                throw PatchError(message: "jsonpatch: index \(first) out of bounds")
            }
            if last {
                if insert { a.insert(value, at: i) } else { a[i] = value }
            } else {
                a[i] = try set(a[i], tokens.dropFirst(), value, insert: insert)
            }
            return .array(a)
        default:
            throw PatchError(message: "jsonpatch: cannot add to a \(World.jsonTypeName(doc))")
        }
    }

    static func remove(_ doc: JSONValue, _ tokens: ArraySlice<String>) throws(PatchError) -> JSONValue {
        guard let first = tokens.first else { return .null }
        switch doc {
        case .object(var o):
            if tokens.count == 1 { o[first] = nil } else if let child = o[first] { o[first] = try remove(child, tokens.dropFirst()) }
            return .object(o)
        case .array(var a):
            guard let i = Int(first), a.indices.contains(i) else { throw PatchError(message: "jsonpatch: index \(first) out of bounds") }
            if tokens.count == 1 { a.remove(at: i) } else { a[i] = try remove(a[i], tokens.dropFirst()) }
            return .array(a)
        default:
            throw PatchError(message: "jsonpatch: cannot remove from a \(World.jsonTypeName(doc))")
        }
    }
}
