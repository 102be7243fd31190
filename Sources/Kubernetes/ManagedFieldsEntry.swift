import JSON

/// `metav1.ManagedFieldsEntry`: which fields one manager owns, and how it last wrote them.
package struct ManagedFieldsEntry: Hashable, Sendable, Codable {
    package enum Operation: String, Hashable, Sendable, Codable, Comparable {
        case apply = "Apply"
        case update = "Update"
        package static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
    }

    package var manager: String
    package var operation: Operation
    package var apiVersion: String
    package var time: Timestamp
    /// The FieldsV1 document, kept as served.
    package var fieldsV1: JSONValue
    /// `scale` for writes through `/scale`; empty for the main resource.
    package var subresource: String

    package init(manager: String, operation: Operation, apiVersion: String, time: Timestamp, fields: FieldSet, subresource: String = "") {
        self.manager = manager
        self.operation = operation
        self.apiVersion = apiVersion
        self.time = time
        self.fieldsV1 = fields.fieldsV1
        self.subresource = subresource
    }

    package var fields: FieldSet { (try? FieldSet(fieldsV1: fieldsV1)) ?? FieldSet() }

    /// Who the entry belongs to: an applier is one manager whatever version it used; an updater
    /// is one per subresource (`BuildManagerIdentifier` in
    /// `staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal/managedfields.go`@v1.32.0).
    package var owner: FieldOwner { FieldOwner(manager: manager, operation: operation, subresource: subresource) }

    package var json: JSONValue {
        var o: JSONObject = [
            "manager": .string(manager), "operation": .string(operation.rawValue), "apiVersion": .string(apiVersion),
            "time": .string(time.rfc3339), "fieldsType": "FieldsV1", "fieldsV1": fieldsV1,
        ]
        if !subresource.isEmpty { o["subresource"] = .string(subresource) }
        return .object(o)
    }
}

/// One writer as managed fields tell writers apart.
package struct FieldOwner: Hashable, Sendable {
    package var manager: String
    package var operation: ManagedFieldsEntry.Operation
    package var subresource: String

    package init(manager: String, operation: ManagedFieldsEntry.Operation, subresource: String = "") {
        self.manager = manager
        self.operation = operation
        self.subresource = subresource
    }

    /// How a conflict names it (`printManager` in `internal/conflict.go`@v1.32.0):
    /// `"kubectl"`, `"kubectl" with subresource "scale" using apps/v1`.
    func conflictName(apiVersion: String) -> String {
        var s = manager.debugDescription
        if !subresource.isEmpty { s += " with subresource \(subresource.debugDescription)" }
        if operation == .update { s += " using \(apiVersion)" }
        return s
    }
}
