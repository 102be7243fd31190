import JSON
import Kubernetes

/// Tables for kinds the built-in printers do not know: CRDs themselves print as the generic
/// `DefaultTableConvertor` does (Name, Created At; `apiserver/pkg/registry/rest/table.go@v1.32.0`),
/// and custom resources print the Name column plus their version's `additionalPrinterColumns`,
/// or Age when there are none (`apiextensions-apiserver/pkg/registry/customresource/tableconvertor/
/// tableconvertor.go` and `apiserver/customresource_handler.go` at v1.32.0).
extension TableConverter {
    /// The table for `resource` as `catalog` serves it.
    init(now: Timestamp, serving resource: ResourceType, in catalog: ResourceCatalog) {
        self.init(now: now)
        if let crd = catalog.definition(of: resource) {
            let declared = crd.version(resource.version)?.columns ?? []
            customColumns =
                declared.isEmpty
                ? [.init(name: "Age", type: "date", format: "", description: Self.ageDescription, priority: 0, jsonPath: ".metadata.creationTimestamp")]
                : declared
        }
    }

    static let ageDescription =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"
    static let nameDescription =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"

    func columnDefinitions(for resource: ResourceType) -> [Column] {
        let name = Column(name: "Name", type: "string", format: "name", description: Self.nameDescription)
        if let customColumns {
            return [name] + customColumns.map { Column(name: $0.name, type: $0.type, format: $0.format, priority: $0.priority, description: $0.description) }
        }
        if resource == .customResourceDefinitions {
            return [name, Column(name: "Created At", type: "date", description: Self.ageDescription)]
        }
        return Self.columns(for: resource)
    }

    /// The cells of a custom resource or CRD row; nil for the kinds the built-in printers cover.
    func customCells(_ o: KubeObject) -> [JSONValue]? {
        if let customColumns {
            return [.string(o.name)] + customColumns.map { cell($0, Self.evaluate($0.jsonPath, in: o.json)) }
        }
        if o.resource == .customResourceDefinitions { return [.string(o.name), .string(o.metadata.creationTimestamp.rfc3339)] }
        return nil
    }

    /// `cellForJSONValue`: dates become ages, numbers stay numbers, strings print as jsonpath
    /// prints them (lists and maps as JSON); a missing value is null, which kubectl shows as `<none>`.
    func cell(_ column: CustomResourceDefinition.PrinterColumn, _ value: JSONValue?) -> JSONValue {
        guard let value, value != .null else { return .null }
        switch column.type {
        case "date":
            guard let s = value.stringValue, let t = Timestamp(rfc3339: s) else { return .null }
            return .string(t.age(at: now))
        case "integer": return value.intValue.map { .int($0) } ?? .null
        case "number":
            if case .double = value { return value }
            return value.intValue.map { .int($0) } ?? .null
        case "boolean": return value.boolValue.map { .bool($0) } ?? .null
        default: return .string(value.stringValue ?? value.canonicalJSON)
        }
    }

    /// The simple JSONPaths CRD columns may use (`.spec.hosts`, `.status.conditions[0].type`):
    /// field names and list indices.
    static func evaluate(_ path: String, in object: JSONValue) -> JSONValue? {
        var current: JSONValue? = object
        var text = Substring(path.hasPrefix("{") && path.hasSuffix("}") ? String(path.dropFirst().dropLast()) : path)
        while !text.isEmpty, let c = current {
            if text.first == "." {
                text = text.dropFirst()
                let field = text.prefix { $0 != "." && $0 != "[" }
                text = text.dropFirst(field.count)
                current = c[String(field)]
            } else if text.first == "[" {
                let inner = text.dropFirst().prefix { $0 != "]" }
                text = text.dropFirst(inner.count + 2)
                guard let i = Int(inner), let list = c.arrayValue, i >= 0, i < list.count else { return nil }
                current = list[i]
            } else {
                return nil
            }
        }
        return current
    }
}
