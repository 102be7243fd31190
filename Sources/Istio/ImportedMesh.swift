import JSON
import Kubernetes

/// A world built from a dump, with what was left out.
package struct ImportedMesh: Sendable {
    package var world: World
    package var skipped: [SkippedObject]
    /// The Istio control planes re-created, in the order they were installed.
    package var revisions: [ImportedRevision]
}

/// An object of the dump that is not in the imported world, and why. Nothing is left out silently:
/// `xdsemu up --from` prints each one on stderr (`description`), callers get the list.
package struct SkippedObject: Hashable, Sendable, CustomStringConvertible {
    package var kind: String
    /// Empty for cluster-scoped objects.
    package var namespace: String
    package var name: String
    package var reason: String

    package init(kind: String, namespace: String, name: String, reason: String) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.reason = reason
    }

    /// `Kind namespace/name: reason` (`Kind name: reason` when cluster-scoped), one line.
    package var description: String { "\(kind) \(namespace.isEmpty ? name : "\(namespace)/\(name)"): \(reason)" }
}

/// Why a dump cannot be imported at all: one line naming the file and what was expected.
package struct MeshImportError: Error, Hashable, Sendable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

extension SkippedObject {
    init(_ object: KubeObject, _ reason: String) {
        self.init(kind: object.resource.kind, namespace: object.namespace, name: object.name, reason: reason)
    }
}
