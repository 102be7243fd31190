import JSON

/// The structured-merge-diff operations server-side apply is made of, over JSON values with a
/// `FieldSchema`: the set of fields a value sets, what changed between two values, merging an
/// applied configuration into a live object, and removing fields.
/// Rules follow `typed/tofieldset.go`, `typed/compare.go`, `typed/merge.go` and
/// `typed/remove.go`@structured-merge-diff v4.4.2.
package struct StructuredMerge: Sendable {
    package var schema: FieldSchema

    package init(_ schema: FieldSchema) { self.schema = schema }

    /// What changed from one value to another, as three field sets.
    package struct Comparison: Hashable, Sendable {
        package var added = FieldSet()
        package var modified = FieldSet()
        package var removed = FieldSet()
        package var isSame: Bool { added.isEmpty && modified.isEmpty && removed.isEmpty }
    }

    // MARK: Field sets

    /// Every field `value` sets: leaves, list items, map entries (`ToFieldSet`).
    package func fieldSet(_ value: JSONValue) -> FieldSet {
        var set = FieldSet()
        collect(value, at: [], field: nil, parents: [], into: &set)
        return set
    }

    private func collect(_ value: JSONValue, at path: [PathElement], field: String?, parents: [String], into set: inout FieldSet) {
        switch schema.shape(of: value, field: field, parents: parents) {
        case .atomic:
            set.insert(FieldPath(path))
        case .object(let isMap):
            let inner = field.map { parents + [$0] } ?? parents
            for (k, child) in value.objectValue ?? [:] {
                let childPath = path + [.field(k)]
                collect(child, at: childPath, field: k, parents: inner, into: &set)
                // A null or empty object is a leaf; a map's entries are members themselves.
                if child == .null || child.objectValue?.isEmpty == true || isMap { set.insert(FieldPath(childPath)) }
            }
        case .associative(let keys):
            let inner = field.map { parents + [$0] } ?? parents
            for item in value.arrayValue ?? [] {
                guard let pe = schema.itemKey(item, keys: keys) else { continue }
                collect(item, at: path + [pe], field: nil, parents: inner, into: &set)
                set.insert(FieldPath(path + [pe]))
            }
        case .set:
            for item in value.arrayValue ?? [] { set.insert(FieldPath(path + [.value(item)])) }
        }
    }

    // MARK: Comparing

    /// What changed from `lhs` to `rhs` (`Compare`). A struct that appears or goes is not a
    /// change of its own (Go's zero-value structs are always present), a map or list item is.
    package func compare(_ lhs: JSONValue, _ rhs: JSONValue) -> Comparison {
        var c = Comparison()
        compare(lhs, rhs, at: [], field: nil, parents: [], into: &c)
        return c
    }

    private func compare(
        _ lhs: JSONValue?, _ rhs: JSONValue?, at path: [PathElement], field: String?, parents: [String], into c: inout Comparison
    ) {
        guard let shapeOf = rhs ?? lhs else { return }
        let p = FieldPath(path)
        func leaf() {
            if lhs == nil {
                c.added.insert(p)
            } else if rhs == nil {
                c.removed.insert(p)
            } else if lhs != rhs {
                c.modified.insert(p)
            }
        }
        func node(isMember: Bool) {
            guard isMember, !path.isEmpty else { return }
            if lhs == nil { c.added.insert(p) } else if rhs == nil { c.removed.insert(p) }
        }
        let inner = field.map { parents + [$0] } ?? parents
        var shape = schema.shape(of: shapeOf, field: field, parents: parents)
        // Values of different kinds on the two sides are compared as wholes.
        if let lhs, let rhs, Self.kind(lhs) != Self.kind(rhs) { shape = .atomic }
        switch shape {
        case .atomic:
            leaf()
        case .object(let isMap):
            let l = lhs?.objectValue ?? [:]
            let r = rhs?.objectValue ?? [:]
            if l.isEmpty, r.isEmpty { return leaf() }
            var keys = l.map(\.key)
            for (k, _) in r where l[k] == nil { keys.append(k) }
            for k in keys { compare(l[k], r[k], at: path + [.field(k)], field: k, parents: inner, into: &c) }
            node(isMember: isMap)
        case .associative(let keys):
            let l = keyed(lhs?.arrayValue ?? [], keys)
            let r = keyed(rhs?.arrayValue ?? [], keys)
            if l.isEmpty, r.isEmpty { return leaf() }
            let rIndex = Dictionary(r, uniquingKeysWith: { a, _ in a })
            let lIndex = Dictionary(l, uniquingKeysWith: { a, _ in a })
            var order = l.map(\.0)
            for (pe, _) in r where lIndex[pe] == nil { order.append(pe) }
            for pe in order {
                compare(lIndex[pe], rIndex[pe], at: path + [pe], field: nil, parents: inner, into: &c)
                let itemPath = FieldPath(path + [pe])
                if lIndex[pe] == nil { c.added.insert(itemPath) } else if rIndex[pe] == nil { c.removed.insert(itemPath) }
            }
        case .set:
            let l = Set(lhs?.arrayValue ?? [])
            let r = Set(rhs?.arrayValue ?? [])
            if l.isEmpty, r.isEmpty { return leaf() }
            for v in r.subtracting(l) { c.added.insert(FieldPath(path + [.value(v)])) }
            for v in l.subtracting(r) { c.removed.insert(FieldPath(path + [.value(v)])) }
        }
    }

    private func keyed(_ items: [JSONValue], _ keys: [String]) -> [(PathElement, JSONValue)] {
        items.compactMap { item in schema.itemKey(item, keys: keys).map { ($0, item) } }
    }

    private static func kind(_ v: JSONValue) -> Int {
        switch v {
        case .object: 0
        case .array: 1
        default: 2
        }
    }

    // MARK: Merging

    /// `config` merged into `live` (`Merge`): objects field by field, associative lists item by
    /// item (live order, new items appended), sets as unions; everything else `config` replaces.
    package func merge(_ live: JSONValue, _ config: JSONValue) -> JSONValue {
        merge(live, config, field: nil, parents: [])
    }

    private func merge(_ live: JSONValue?, _ config: JSONValue, field: String?, parents: [String]) -> JSONValue {
        guard let live, Self.kind(live) == Self.kind(config) else { return config }
        let inner = field.map { parents + [$0] } ?? parents
        switch schema.shape(of: config, field: field, parents: parents) {
        case .atomic:
            return config
        case .object:
            var out = live.objectValue ?? [:]
            for (k, v) in config.objectValue ?? [:] {
                out[k] = v == .null ? nil : merge(out[k], v, field: k, parents: inner)
            }
            return .object(out)
        case .associative(let keys):
            var out = live.arrayValue ?? []
            for item in config.arrayValue ?? [] {
                let pe = schema.itemKey(item, keys: keys)
                if let pe, let i = out.firstIndex(where: { schema.itemKey($0, keys: keys) == pe }) {
                    out[i] = merge(out[i], item, field: nil, parents: inner)
                } else {
                    out.append(item)
                }
            }
            return .array(out)
        case .set:
            var out = live.arrayValue ?? []
            for v in config.arrayValue ?? [] where !out.contains(v) { out.append(v) }
            return .array(out)
        }
    }

    // MARK: Removing

    /// `value` without the fields at `paths` (`RemoveItems`); a path that is not there is skipped.
    /// Shortest first: a list item goes by its key before its key fields could go from under it.
    package func removing(_ paths: [FieldPath], from value: JSONValue) -> JSONValue {
        var out = value
        for p in paths.sorted(by: { $0.elements.count < $1.elements.count }) {
            out = remove(p.elements[...], from: out, field: nil, parents: []) ?? out
        }
        return out
    }

    /// The value with the field at `rest` gone; nil when the path does not lead anywhere.
    private func remove(_ rest: ArraySlice<PathElement>, from value: JSONValue, field: String?, parents: [String]) -> JSONValue? {
        guard let head = rest.first else { return nil }
        let inner = field.map { parents + [$0] } ?? parents
        let tail = rest.dropFirst()
        switch (head, value) {
        case (.field(let k), .object(var o)):
            guard let child = o[k] else { return nil }
            if tail.isEmpty {
                o[k] = nil
            } else {
                guard let changed = remove(tail, from: child, field: k, parents: inner) else { return nil }
                o[k] = changed
            }
            return .object(o)
        case (.key, .array(var items)):
            guard case .associative(let keys) = schema.shape(of: value, field: field, parents: parents),
                let i = items.firstIndex(where: { schema.itemKey($0, keys: keys) == head })
            else { return nil }
            if tail.isEmpty {
                items.remove(at: i)
            } else {
                guard let changed = remove(tail, from: items[i], field: nil, parents: inner) else { return nil }
                items[i] = changed
            }
            return .array(items)
        case (.value(let v), .array(var items)):
            guard tail.isEmpty, let i = items.firstIndex(of: v) else { return nil }
            items.remove(at: i)
            return .array(items)
        default:
            return nil
        }
    }
}
