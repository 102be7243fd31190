import JSON
import Kubernetes

/// JSON in and out of the facade. Output uses `JSONValue.canonicalJSON` (sorted keys, Go-style
/// escaping); input goes through the JSON module's parser, which says what is wrong and where.
enum JSONBody {
    static func decode(_ bytes: [UInt8]) throws(WorldError) -> JSONValue {
        do {
            return try JSONValue(parsing: bytes)
        } catch {
            throw .badRequest("error decoding request body: \(error); send one JSON object")
        }
    }
}
