import JSON
/// `metav1.OwnerReference`: which controller owns an object (a pod's ReplicaSet, a ReplicaSet's
/// Deployment); garbage collection follows these.
package struct OwnerReference: Hashable, Sendable, Codable {
    package var apiVersion: String
    package var kind: String
    package var name: String
    package var uid: String
    package var controller: Bool

    package init(apiVersion: String, kind: String, name: String, uid: String, controller: Bool = true) {
        self.apiVersion = apiVersion
        self.kind = kind
        self.name = name
        self.uid = uid
        self.controller = controller
    }

    var json: JSONValue {
        [
            "apiVersion": .string(apiVersion), "kind": .string(kind), "name": .string(name),
            "uid": .string(uid), "controller": .bool(controller), "blockOwnerDeletion": true,
        ]
    }
}

/// `metav1.ObjectMeta`, the part of every object the server itself manages.
package struct ObjectMeta: Hashable, Sendable, Codable {
    package var name: String
    package var generateName: String = ""
    package var namespace: String = ""
    package var uid: String = ""
    /// The world's resource version at this object's last write (etcd's modRevision).
    package var resourceVersion: UInt64 = 0
    package var generation: Int64 = 0
    package var creationTimestamp: Timestamp = Timestamp(milliseconds: 0)
    package var deletionTimestamp: Timestamp?
    package var deletionGracePeriodSeconds: Int64?
    package var labels: [String: String] = [:]
    package var annotations: [String: String] = [:]
    package var ownerReferences: [OwnerReference] = []
    package var finalizers: [String] = []
    /// `metadata.managedFields` (see `managedFields`); nil when empty, so worlds saved before
    /// field managers existed still decode.
    var managedFieldsStorage: [ManagedFieldsEntry]?

    package init(name: String, namespace: String = "", labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.name = name
        self.namespace = namespace
        self.labels = labels
        self.annotations = annotations
    }

    package var json: JSONValue {
        var o: JSONObject = [
            "name": .string(name),
            "uid": .string(uid),
            "resourceVersion": .string(String(resourceVersion)),
            "creationTimestamp": .string(creationTimestamp.rfc3339),
        ]
        if !generateName.isEmpty { o["generateName"] = .string(generateName) }
        if !namespace.isEmpty { o["namespace"] = .string(namespace) }
        if generation != 0 { o["generation"] = .int(generation) }
        if let deletionTimestamp { o["deletionTimestamp"] = .string(deletionTimestamp.rfc3339) }
        if let deletionGracePeriodSeconds { o["deletionGracePeriodSeconds"] = .int(deletionGracePeriodSeconds) }
        if !labels.isEmpty { o["labels"] = JSONValue(labels) }
        if !annotations.isEmpty { o["annotations"] = JSONValue(annotations) }
        if !ownerReferences.isEmpty { o["ownerReferences"] = .array(ownerReferences.map(\.json)) }
        if !finalizers.isEmpty { o["finalizers"] = .array(finalizers.map { .string($0) }) }
        if !managedFields.isEmpty { o["managedFields"] = .array(managedFields.map(\.json)) }
        return .object(o)
    }

    /// Reads what a client sent. Server-owned fields (uid, timestamps, generation) are read too so
    /// that an update can be compared with the stored object; the world decides which to keep.
    package init(json: JSONValue) throws(WorldError) {
        guard case .object(let o) = json else { throw .badRequest("metadata must be an object") }
        name = o["name"]?.stringValue ?? ""
        generateName = o["generateName"]?.stringValue ?? ""
        namespace = o["namespace"]?.stringValue ?? ""
        uid = o["uid"]?.stringValue ?? ""
        resourceVersion = o["resourceVersion"]?.stringValue.flatMap { UInt64($0) } ?? 0
        generation = o["generation"]?.intValue ?? 0
        creationTimestamp = o["creationTimestamp"]?.stringValue.flatMap { Timestamp(rfc3339: $0) } ?? Timestamp(milliseconds: 0)
        deletionTimestamp = o["deletionTimestamp"]?.stringValue.flatMap { Timestamp(rfc3339: $0) }
        deletionGracePeriodSeconds = o["deletionGracePeriodSeconds"]?.intValue
        guard let labels = (o["labels"] ?? .null).stringMap else {
            throw .badRequest("metadata.labels: expected map of string to string")
        }
        guard let annotations = (o["annotations"] ?? .null).stringMap else {
            throw .badRequest("metadata.annotations: expected map of string to string")
        }
        self.labels = labels
        self.annotations = annotations
        ownerReferences = (o["ownerReferences"]?.arrayValue ?? []).compactMap { r in
            guard let kind = r["kind"]?.stringValue, let name = r["name"]?.stringValue else { return nil }
            return OwnerReference(
                apiVersion: r["apiVersion"]?.stringValue ?? "", kind: kind, name: name,
                uid: r["uid"]?.stringValue ?? "", controller: r["controller"]?.boolValue ?? false)
        }
        finalizers = (o["finalizers"]?.arrayValue ?? []).compactMap(\.stringValue)
    }
}

extension JSONValue {
    /// The value with null members of objects dropped (nil if it is null itself). Go decodes
    /// `null` into a field's zero value, so `"creationTimestamp": null` in a pod template (which
    /// `kubectl rollout undo` sends) must not make the template, and its hash, differ.
    var withoutNulls: JSONValue? {
        switch self {
        case .null: nil
        case .object(let o): .object(o.compactMapValues(\.withoutNulls))
        case .array(let a): .array(a.map { $0.withoutNulls ?? .null })
        default: self
        }
    }
}

/// One stored object: its resource, its metadata and the rest of its JSON (`spec`, `status`,
/// `data`, `webhooks`, …) kept as sent, so kinds the world does not interpret still round-trip.
package struct KubeObject: Hashable, Sendable, Codable {
    package var resource: ResourceType
    package var metadata: ObjectMeta
    /// Every top-level field except `apiVersion`, `kind` and `metadata`.
    package var body: JSONObject

    package init(resource: ResourceType, metadata: ObjectMeta, body: JSONObject = [:]) {
        self.resource = resource
        self.metadata = metadata
        self.body = body
    }

    package var key: ObjectKey { ObjectKey(resource, namespace: metadata.namespace, name: metadata.name) }
    package var name: String { metadata.name }
    package var namespace: String { metadata.namespace }
    package var labels: [String: String] { metadata.labels }
    package var isTerminating: Bool { metadata.deletionTimestamp != nil }

    package var spec: JSONValue {
        get { body["spec"] ?? .object([:]) }
        set { body["spec"] = newValue }
    }
    package var status: JSONValue {
        get { body["status"] ?? .object([:]) }
        set { body["status"] = newValue }
    }

    /// The object as the API serves it.
    package var json: JSONValue {
        var o = body
        o["apiVersion"] = .string(resource.apiVersion)
        o["kind"] = .string(resource.kind)
        o["metadata"] = metadata.json
        return .object(o)
    }

    /// Parses an object a client sent for `resource`; `apiVersion`/`kind` must match when given.
    package init(json: JSONValue, resource: ResourceType) throws(WorldError) {
        guard case .object(var o) = json else { throw .badRequest("Object 'Kind' is missing in '\(json.canonicalJSON)'") }
        if let kind = o["kind"]?.stringValue, kind != resource.kind {
            let version = o["apiVersion"]?.stringValue ?? resource.apiVersion
            throw .badRequest(
                "\(kind) in version \"\(version)\" cannot be handled as a \(resource.kind): the kind in the data (\(kind)) is not a \(resource.kind), the kind this path serves")
        }
        if let av = o["apiVersion"]?.stringValue, av != resource.apiVersion {
            throw .badRequest("the API version in the data (\(av)) does not match the expected API version (\(resource.apiVersion))")
        }
        try StringMapFields.check(o, resource: resource)
        let meta = try ObjectMeta(json: o["metadata"] ?? .object([:]))
        o["apiVersion"] = nil
        o["kind"] = nil
        o["metadata"] = nil
        self.init(resource: resource, metadata: meta, body: o.compactMapValues(\.withoutNulls))
    }
}
