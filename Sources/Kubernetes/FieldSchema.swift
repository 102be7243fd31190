import JSON

/// What server-side apply needs to know about an object's fields: which lists are associative
/// (merged item by item, named by their keys), which are sets, which values are atomic, and which
/// objects are maps (whose entries are members of a field set) rather than structs.
///
/// The API server reads this from each type's OpenAPI schema (`+listType=map`,
/// `+listMapKey=…`, `+structType=atomic` in `staging/src/k8s.io/api/core/v1/types.go`@v1.32.0
/// and `apps/v1/types.go`); the emulator keeps the part of it the built-in kinds it serves use.
/// Kinds without a schema (custom resources) are merged as structured-merge-diff's deduced schema
/// does (`typed/deduced.go`@structured-merge-diff v4.4.2): every object is a map, every list atomic.
package struct FieldSchema: Hashable, Sendable {
    /// False for kinds the emulator has no schema for.
    package var typed: Bool
    /// `services`' `spec.selector` is a map of labels; elsewhere `selector` is an atomic LabelSelector.
    package var resource: ResourceType

    package init(_ resource: ResourceType) {
        self.resource = resource
        self.typed = ResourceType.builtIn.contains(resource)
    }

    /// How a value at a path is walked.
    enum Shape {
        /// A scalar, or a value replaced as a whole.
        case atomic
        /// An object: a struct (its fields are not members themselves) or a map (they are).
        case object(isMap: Bool)
        /// A list whose items are named by these key fields.
        case associative([String])
        /// A list of scalars named by their values.
        case set
    }

    /// Keys of associative lists, by field name (`+listMapKey`). Container and service ports are
    /// keyed by port and protocol; `protocol` defaults to TCP when the item leaves it out.
    static let listKeys: [String: [String]] = [
        "containers": ["name"], "initContainers": ["name"], "ephemeralContainers": ["name"],
        "env": ["name"], "volumes": ["name"], "volumeMounts": ["mountPath"], "imagePullSecrets": ["name"],
        "conditions": ["type"], "webhooks": ["name"], "ownerReferences": ["uid"], "hostAliases": ["ip"],
        "volumeDevices": ["devicePath"], "readinessGates": ["conditionType"],
    ]
    /// Fields whose object value is a map of strings (`map[string]string` in Go).
    static let stringMaps: Set<String> = [
        "labels", "annotations", "data", "binaryData", "stringData", "nodeSelector", "limits", "requests",
        "matchLabels",
    ]
    /// LabelSelectors are `+structType=atomic`.
    static let labelSelectors: Set<String> = ["selector", "namespaceSelector", "objectSelector", "labelSelector"]

    /// The shape of `value`, found at field `field` (nil for a list item or the root), under the
    /// chain of field names `parents`.
    func shape(of value: JSONValue, field: String?, parents: [String]) -> Shape {
        switch value {
        case .object:
            guard typed else { return .object(isMap: true) }
            if let field, Self.labelSelectors.contains(field) {
                return resource == .services && parents == ["spec"] ? .object(isMap: true) : .atomic
            }
            return .object(isMap: field.map { Self.stringMaps.contains($0) } ?? false)
        case .array(let items):
            guard typed, let field else { return .atomic }
            if field == "finalizers", parents == ["metadata"] { return .set }
            if field == "ports" {
                guard items.allSatisfy({ $0.objectValue != nil }) else { return .atomic }
                return parents.contains("containers") || parents.contains("initContainers")
                    ? .associative(["containerPort", "protocol"]) : .associative(["port", "protocol"])
            }
            if let keys = Self.listKeys[field], items.allSatisfy({ $0.objectValue != nil }) { return .associative(keys) }
            return .atomic
        default:
            return .atomic
        }
    }

    /// The path element naming one item of an associative list; nil when a key is missing.
    func itemKey(_ item: JSONValue, keys: [String]) -> PathElement? {
        var fields: [PathElement.KeyField] = []
        for k in keys.sorted() {
            if let v = item[k] {
                fields.append(.init(k, v))
            } else if k == "protocol" {
                fields.append(.init(k, "TCP"))
            } else {
                return nil
            }
        }
        return .key(fields)
    }
}
