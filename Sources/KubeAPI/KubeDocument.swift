import JSON
import Kubernetes
import Yams

/// One document in JSON or YAML as a `JSONValue`: a body the API server is sent, or a file
/// kubectl wrote (`kubectl get -o yaml|json`). JSON when it starts with `{` (the JSON module's
/// parser, exact about numbers), otherwise YAML, with scalars typed by their resolved tag as Go's
/// YAML decoder types them.
package enum KubeDocument {
    /// What could not be read, with the parser's own words (which say where).
    package struct Malformed: Error, Sendable, CustomStringConvertible {
        package var isJSON: Bool
        package var detail: String
        package var description: String { detail }
    }

    /// Whether the bytes are read as JSON: their first non-blank character is `{`.
    package static func isJSON(_ bytes: [UInt8]) -> Bool {
        bytes.first(where: { ![32, 9, 10, 13].contains($0) }) == UInt8(ascii: "{")
    }

    /// The document's value; nil for an empty YAML document or one using aliases.
    package static func decode(_ bytes: [UInt8]) throws(Malformed) -> JSONValue? {
        if isJSON(bytes) {
            do { return try JSONValue(parsing: bytes) } catch { throw Malformed(isJSON: true, detail: "\(error)") }
        }
        let node: Node?
        do { node = try Yams.compose(yaml: String(decoding: bytes, as: UTF8.self)) } catch {
            throw Malformed(isJSON: false, detail: "\(error)")
        }
        return node.flatMap(json)
    }

    /// A YAML node as JSON, scalars typed by their resolved tag as Go's YAML decoder types them.
    static func json(_ node: Node) -> JSONValue? {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(JSONValue.bool)
            case Tag.Name.int.rawValue: return node.int.map { .int(Int64($0)) }
            case Tag.Name.float.rawValue: return node.float.map(JSONValue.double)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var o = JSONObject()
            for (k, v) in mapping {
                guard let key = k.string, let value = json(v) else { return nil }
                o[key] = value
            }
            return .object(o)
        case .sequence(let items):
            var out: [JSONValue] = []
            for item in items {
                guard let v = json(item) else { return nil }
                out.append(v)
            }
            return .array(out)
        case .alias:
            return nil
        }
    }
}
