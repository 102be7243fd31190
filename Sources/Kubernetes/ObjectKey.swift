/// Where an object lives: its resource, namespace (empty for cluster-scoped kinds) and name.
/// Ordered as `kubectl get` lists: by namespace, then name.
package struct ObjectKey: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    package var resource: ResourceType
    package var namespace: String
    package var name: String

    package init(_ resource: ResourceType, namespace: String = "", name: String) {
        self.resource = resource
        self.namespace = resource.namespaced ? namespace : ""
        self.name = name
    }

    package static func < (a: Self, b: Self) -> Bool {
        (a.resource.group, a.resource.plural, a.namespace, a.name)
            < (b.resource.group, b.resource.plural, b.namespace, b.name)
    }

    package var description: String {
        namespace.isEmpty ? "\(resource.qualifiedName)/\(name)" : "\(resource.qualifiedName)/\(namespace)/\(name)"
    }
}
