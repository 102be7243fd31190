import Foundation
import JSON
import Kubernetes
import KubeRuntime

/// JSON in and out of the facade. Output uses `JSONValue.canonicalJSON` (sorted keys, Go-style
/// escaping); input goes through Foundation's decoder into a `JSONValue`.
enum JSONBody {
    static func decode(_ bytes: [UInt8]) throws(WorldError) -> JSONValue {
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            let text = String(decoding: bytes.prefix(40), as: UTF8.self)
            let first = text.first.map { "'\($0)'" } ?? "end of input"
            throw .badRequest("error decoding request body: invalid character \(first) looking for beginning of value")
        }
    }
}
