import JSON

/// One step into an object, as structured-merge-diff names it
/// (`fieldpath/element.go`@structured-merge-diff v4.4.2, the version kubernetes v1.32.0 vendors):
/// a field of a map or struct, an associative list's item by its key fields, a set's item by its
/// value, or (for lists with neither) an index.
package enum PathElement: Hashable, Sendable {
    case field(String)
    /// The key fields of an associative list's item, sorted by name.
    case key([KeyField])
    case value(JSONValue)
    case index(Int)

    package struct KeyField: Hashable, Sendable {
        package var name: String
        package var value: JSONValue
        package init(_ name: String, _ value: JSONValue) {
            self.name = name
            self.value = value
        }
    }

    /// The FieldsV1 key: `f:replicas`, `k:{"name":"x"}`, `v:"x"`, `i:0`
    /// (`fieldpath/serialize-pe.go`).
    package var fieldsV1Key: String {
        switch self {
        case .field(let name): "f:" + name
        case .key(let fields):
            "k:" + JSONValue.object(JSONObject(fields.map { ($0.name, $0.value) })).canonicalJSON
        case .value(let v): "v:" + v.canonicalJSON
        case .index(let i): "i:\(i)"
        }
    }

    /// Parses a FieldsV1 key; nil when it is none of the four forms.
    package init?(fieldsV1Key text: String) {
        guard text.count >= 2, text.dropFirst().first == ":" else { return nil }
        let rest = String(text.dropFirst(2))
        switch text.first {
        case "f": self = .field(rest)
        case "k":
            guard case .object(let o)? = try? JSONValue(parsing: rest) else { return nil }
            self = .key(o.map { KeyField($0.key, $0.value) }.sorted { $0.name < $1.name })
        case "v":
            guard let v = try? JSONValue(parsing: rest) else { return nil }
            self = .value(v)
        case "i":
            guard let i = Int(rest) else { return nil }
            self = .index(i)
        default: return nil
        }
    }

    /// How a conflict names it: `.replicas`, `[name="x"]`, `[="x"]`, `[0]` (`PathElement.String`).
    package var description: String {
        switch self {
        case .field(let name): "." + name
        case .key(let fields): "[" + fields.map { "\($0.name)=\($0.value.canonicalJSON)" }.joined(separator: ",") + "]"
        case .value(let v): "[=\(v.canonicalJSON)]"
        case .index(let i): "[\(i)]"
        }
    }

    /// Fields before keys before values before indexes, then by text: the order FieldsV1 is
    /// written in (sorted like `PathElement.Compare`).
    var sortKey: (Int, String) {
        switch self {
        case .field(let n): (0, n)
        case .key: (1, fieldsV1Key)
        case .value: (2, fieldsV1Key)
        case .index(let i): (3, String(repeating: "0", count: max(0, 12 - String(i).count)) + String(i))
        }
    }
}

/// A path from an object's root to one of its fields.
package struct FieldPath: Hashable, Sendable, CustomStringConvertible, Comparable {
    package var elements: [PathElement]

    package init(_ elements: [PathElement]) { self.elements = elements }
    /// A path of field names only: `FieldPath("spec", "replicas")`.
    package init(_ fields: String...) { self.elements = fields.map { .field($0) } }

    package var description: String { elements.map(\.description).joined() }

    package func appending(_ e: PathElement) -> FieldPath { FieldPath(elements + [e]) }

    /// Whether `self` is `other` or lies inside it.
    package func hasPrefix(_ other: FieldPath) -> Bool {
        elements.count >= other.elements.count && Array(elements.prefix(other.elements.count)) == other.elements
    }

    package static func < (a: FieldPath, b: FieldPath) -> Bool {
        for (x, y) in zip(a.elements, b.elements) where x != y { return x.sortKey < y.sortKey }
        return a.elements.count < b.elements.count
    }
}

/// A set of field paths: what one manager owns, or what a change touched
/// (`fieldpath.Set`). Every path is a member in its own right; a path's parent need not be.
package struct FieldSet: Hashable, Sendable {
    package private(set) var paths: Set<FieldPath>

    package init(_ paths: some Sequence<FieldPath> = []) { self.paths = Set(paths) }

    package var isEmpty: Bool { paths.isEmpty }
    package func contains(_ p: FieldPath) -> Bool { paths.contains(p) }
    package mutating func insert(_ p: FieldPath) { paths.insert(p) }
    package func union(_ o: FieldSet) -> FieldSet { FieldSet(paths.union(o.paths)) }
    package func subtracting(_ o: FieldSet) -> FieldSet { FieldSet(paths.subtracting(o.paths)) }
    package func intersection(_ o: FieldSet) -> FieldSet { FieldSet(paths.intersection(o.paths)) }
    /// Paths in the set, in FieldsV1 order.
    package var sorted: [FieldPath] { paths.sorted() }
    /// Whether any path of the set is `p` or lies inside it.
    package func coversOrContains(_ p: FieldPath) -> Bool { paths.contains { $0.hasPrefix(p) } }

    /// The FieldsV1 document: a tree of path keys, `{}` for a member without children, `".": {}`
    /// for a member that also has children (`fieldpath/serialize.go`).
    package var fieldsV1: JSONValue { Self.emit(paths.map { ArraySlice($0.elements) }, includeSelf: false) }

    private static func emit(_ rest: [ArraySlice<PathElement>], includeSelf: Bool) -> JSONValue {
        var groups: [PathElement: [ArraySlice<PathElement>]] = [:]
        var members: Set<PathElement> = []
        for p in rest {
            guard let head = p.first else { continue }
            if p.count == 1 { members.insert(head) } else { groups[head, default: []].append(p.dropFirst()) }
        }
        var o = JSONObject()
        if includeSelf { o["."] = .object([:]) }
        for e in members.union(groups.keys).sorted(by: { $0.sortKey < $1.sortKey }) {
            if let children = groups[e] {
                o[e.fieldsV1Key] = emit(children, includeSelf: members.contains(e))
            } else {
                o[e.fieldsV1Key] = .object([:])
            }
        }
        return .object(o)
    }

    /// Reads a FieldsV1 document; throws on a key that is not a path element.
    package init(fieldsV1 json: JSONValue) throws(WorldError) {
        var out = Set<FieldPath>()
        func walk(_ v: JSONValue, _ prefix: [PathElement]) throws(WorldError) {
            guard case .object(let o) = v else { throw .badRequest("fieldsV1: expected an object at \(FieldPath(prefix))") }
            for (k, child) in o {
                if k == "." {
                    out.insert(FieldPath(prefix))
                    continue
                }
                guard let e = PathElement(fieldsV1Key: k) else {
                    throw .badRequest("fieldsV1: invalid path element \(k.debugDescription)")
                }
                if child.objectValue?.isEmpty ?? false { out.insert(FieldPath(prefix + [e])) }
                try walk(child, prefix + [e])
            }
        }
        try walk(json, [])
        self.paths = out
    }
}
