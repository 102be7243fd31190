/// A JSON object: string keys in insertion order, each with a value.
///
/// Order matters when a document is printed as its producer printed it (Envoy's admin emits
/// proto field order, Go's `json.Marshal` struct field order); it does not matter for meaning.
/// So equality and hashing ignore order, as Kubernetes compares objects (patch results, `status`
/// changes, pod-template hashes through the sorted canonical form): `{"a":1,"b":2}` equals
/// `{"b":2,"a":1}`. Printing is where order shows: ``JSONValue/canonicalJSON`` sorts keys,
/// the Go and Envoy renderers keep this order.
///
/// Setting a new key appends it; setting an existing key keeps its place; removing drops it.
package struct JSONObject: Sendable {
    /// Keys in order; `values` holds exactly these keys.
    package private(set) var keys: [String]
    private var values: [String: JSONValue]

    package init() {
        keys = []
        values = [:]
    }

    /// Pairs in order; a repeated key keeps its first place and its last value.
    package init<S: Sequence>(_ pairs: S) where S.Element == (String, JSONValue) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// A dictionary has no order: its keys are taken sorted, so the result is deterministic.
    package init(_ dictionary: [String: JSONValue]) {
        keys = dictionary.keys.sorted()
        values = dictionary
    }

    package subscript(key: String) -> JSONValue? {
        get { values[key] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: key) == nil { keys.append(key) }
            } else {
                removeValue(forKey: key)
            }
        }
    }

    package subscript(key: String, default defaultValue: @autoclosure () -> JSONValue) -> JSONValue {
        get { values[key] ?? defaultValue() }
        set { self[key] = newValue }
    }

    @discardableResult
    package mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let old = values.removeValue(forKey: key) else { return nil }
        keys.removeAll { $0 == key }
        return old
    }

    package var count: Int { keys.count }
    package var isEmpty: Bool { keys.isEmpty }

    /// The values in key order.
    package var orderedValues: [JSONValue] { keys.map { values[$0]! } }

    /// The same keys as a plain dictionary (order dropped).
    package var dictionary: [String: JSONValue] { values }

    package func mapValues(_ transform: (JSONValue) throws -> JSONValue) rethrows -> JSONObject {
        var out = self
        out.values = try values.mapValues(transform)
        return out
    }

    package func compactMapValues(_ transform: (JSONValue) throws -> JSONValue?) rethrows -> JSONObject {
        var out = JSONObject()
        for (key, value) in self {
            if let v = try transform(value) { out[key] = v }
        }
        return out
    }

    package func filter(_ isIncluded: ((key: String, value: JSONValue)) throws -> Bool) rethrows -> JSONObject {
        var out = JSONObject()
        for element in self where try isIncluded(element) { out[element.key] = element.value }
        return out
    }

    /// `other`'s pairs set in its order: new keys appended, existing ones replaced in place.
    package static func += (object: inout JSONObject, other: JSONObject) {
        for (key, value) in other { object[key] = value }
    }

    /// Keys of `other` not here are appended in `other`'s order.
    package func merging(
        _ other: JSONObject, uniquingKeysWith combine: (JSONValue, JSONValue) throws -> JSONValue
    ) rethrows -> JSONObject {
        var out = self
        for (key, value) in other { out[key] = try values[key].map { try combine($0, value) } ?? value }
        return out
    }
}

extension JSONObject: RandomAccessCollection {
    package typealias Element = (key: String, value: JSONValue)
    package var startIndex: Int { 0 }
    package var endIndex: Int { keys.count }
    package subscript(position: Int) -> Element { (keys[position], values[keys[position]]!) }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    package init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
}

extension JSONObject: Hashable {
    /// Order-insensitive: see the type's documentation.
    package static func == (a: JSONObject, b: JSONObject) -> Bool { a.values == b.values }
    package func hash(into hasher: inout Hasher) { hasher.combine(values) }

    /// Equal and in the same key order, all the way down: for checking what a renderer will print.
    package func isIdentical(to other: JSONObject) -> Bool {
        keys == other.keys && keys.allSatisfy { values[$0]!.isIdentical(to: other.values[$0]!) }
    }
}

extension JSONObject: Codable {
    /// Coded as a plain keyed container: decoders give no order, so keys come back sorted.
    package init(from decoder: any Decoder) throws {
        self.init(try [String: JSONValue](from: decoder))
    }

    package func encode(to encoder: any Encoder) throws { try values.encode(to: encoder) }
}
