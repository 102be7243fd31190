/// Where an object lives: its resource, namespace (empty for cluster-scoped kinds) and name.
/// Ordered as `kubectl get` lists: by namespace, then name.
public struct ObjectKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var resource: ResourceType
    public var namespace: String
    public var name: String

    public init(_ resource: ResourceType, namespace: String = "", name: String) {
        self.resource = resource
        self.namespace = resource.namespaced ? namespace : ""
        self.name = name
    }

    public static func < (a: Self, b: Self) -> Bool {
        (a.resource.group, a.resource.plural, a.namespace, a.name)
            < (b.resource.group, b.resource.plural, b.namespace, b.name)
    }

    public var description: String {
        namespace.isEmpty ? "\(resource.qualifiedName)/\(name)" : "\(resource.qualifiedName)/\(namespace)/\(name)"
    }
}
