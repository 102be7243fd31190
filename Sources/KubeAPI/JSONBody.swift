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
            // The package's own parser says what is wrong and where (`invalid JSON at byte 20:
            // unexpected end of input`); Foundation's message does not.
            do {
                _ = try JSONValue(parsing: bytes)
            } catch let parse {
                throw .badRequest("error decoding request body: \(parse); send one JSON object")
            }
            throw .badRequest("error decoding request body: not a JSON document Foundation can read; send one JSON object")
        }
    }
}
