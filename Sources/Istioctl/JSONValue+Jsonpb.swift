import JSON

/// Re-printing Envoy admin output the way istioctl does: Envoy answers protobuf JSON with
/// snake_case names in proto field order; istioctl unmarshals it into Go protos and marshals it
/// again with jsonpb (lowerCamelCase names, same order) and re-indents with
/// `json.MarshalIndent(…, "", "    ")` (``JSONValue/goIndentedJSON(indent:)``, docs/istio-facts.md §2.1).
extension JSONValue {
    /// Fields holding `Struct`s (a node's `metadata`) or maps of them (`filter_metadata`): all data,
    /// printed by jsonpb exactly as held.
    static let structFields: Set<String> = ["metadata", "filter_metadata"]
    /// Maps of messages: keys are data, values are messages.
    static let messageMaps: Set<String> = ["typed_filter_metadata", "typed_extension_protocol_options"]

    /// Proto names (`host_statuses`) as jsonpb prints them (`hostStatuses`); map keys and
    /// `Struct` contents untouched.
    func camelCased() -> JSONValue {
        switch self {
        case .array(let items): return .array(items.map { $0.camelCased() })
        case .object(let fields):
            return .object(
                JSONObject(
                    fields.map { key, value in
                        let renamed = Self.lowerCamel(key)
                        guard case .object(let entries) = value else { return (renamed, value.camelCased()) }
                        if Self.structFields.contains(key), !Self.isMetadataMessage(key, entries) { return (renamed, value) }
                        if Self.messageMaps.contains(key) { return (renamed, .object(entries.mapValues { $0.camelCased() })) }
                        return (renamed, value.camelCased())
                    }))
        default: return self
        }
    }

    /// A cluster's `metadata` is a `core.Metadata` message (`filter_metadata`, …), a node's a `Struct`.
    static func isMetadataMessage(_ key: String, _ entries: JSONObject) -> Bool {
        key == "metadata" && !entries.isEmpty
            && entries.keys.allSatisfy { ["filter_metadata", "typed_filter_metadata"].contains($0) }
    }

    /// `host_statuses` → `hostStatuses` (protoc's json_name rule); `@type` and names without `_` stay.
    static func lowerCamel(_ name: String) -> String {
        guard name.contains("_"), !name.hasPrefix("@") else { return name }
        var out = ""
        var upper = false
        for c in name {
            if c == "_" {
                upper = true
            } else {
                out += upper ? c.uppercased() : String(c)
                upper = false
            }
        }
        return out
    }

    /// The object without `keys`.
    func removing(_ keys: Set<String>) -> JSONValue {
        guard case .object(let fields) = self else { return self }
        return .object(fields.filter { !keys.contains($0.key) })
    }
}
