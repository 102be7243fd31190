import JSON

extension ObjectMeta {
    /// Which manager owns which fields (`metadata.managedFields`), Apply entries first.
    package var managedFields: [ManagedFieldsEntry] {
        get { managedFieldsStorage ?? [] }
        set { managedFieldsStorage = newValue.isEmpty ? nil : newValue }
    }
}

/// Server-side apply, and the managed fields every API write records.
extension World {
    /// How one write records managed fields on the object its request names.
    enum FieldWrite {
        /// A create, update or non-apply patch by this writer.
        case update(FieldOwner)
        /// Entries an apply already computed.
        case preset([ManagedFieldsEntry])
    }

    /// Sets `object`'s managed fields as the write in `ctx` says (once per write); objects the
    /// request did not name keep what they had. Client-sent managedFields are never taken: the
    /// API server's history is the server's.
    mutating func recordManagedFields(_ object: inout KubeObject, previous: KubeObject?, ctx: inout Context) {
        guard let write = ctx.fieldWrite else {
            object.metadata.managedFields = previous?.metadata.managedFields ?? object.metadata.managedFields
            return
        }
        ctx.fieldWrite = nil
        switch write {
        case .update(let owner):
            object.metadata.managedFields = ManagedFields.update(live: previous, new: object, owner: owner, now: fieldTime)
        case .preset(let entries):
            object.metadata.managedFields = entries
        }
    }

    /// `metav1.Time` has whole seconds; entries keep what a client would read back.
    var fieldTime: Timestamp { Timestamp(seconds: meta.now.milliseconds / 1000) }

    /// `PATCH` with `application/apply-patch+yaml`: creates the object when it is missing,
    /// otherwise merges `config` into it as `ManagedFields.apply` says (409 on a conflict unless
    /// `force`). `config` is the applied object as JSON.
    package mutating func apply(
        _ key: ObjectKey, config: JSONValue, manager: String, force: Bool, admission: [any AdmissionControl] = []
    ) throws(WorldError) -> (KubeObject, [WorldEvent]) {
        guard config.objectValue != nil else {
            throw .badRequest("json: cannot unmarshal \(Self.jsonTypeName(config)) into Go value of type map[string]interface {}")
        }
        guard let current = objects[key] else {
            var object = try ManagedFields.appliedObject(config, key.resource)
            try Self.checkNames(object, key)
            object.metadata.name = key.name
            object.metadata.namespace = key.namespace
            var ctx = Context(admission: admission, fieldWrite: .preset(ManagedFields.created(by: manager, config: object, now: fieldTime)))
            let stored = try insert(object, ctx: &ctx)
            settle(ctx: &ctx)
            return (objects[stored.key] ?? stored, ctx.events)
        }
        try Self.checkNames(try ManagedFields.appliedObject(config, key.resource), key)
        let (merged, entries) = try ManagedFields.apply(live: current, config: config, manager: manager, force: force, now: fieldTime)
        var object = try KubeObject(json: merged, resource: key.resource)
        // Only a resourceVersion the configuration sets is a precondition.
        if config[path: ["metadata", "resourceVersion"]] == nil { object.metadata.resourceVersion = 0 }
        if object.metadata.resourceVersion != 0, object.metadata.resourceVersion != current.metadata.resourceVersion {
            throw WorldError(
                .conflict,
                "Operation cannot be fulfilled on \(key.resource.qualifiedName) \"\(key.name)\": the object has been modified; please apply your changes to the latest version and try again",
                name: key.name, resource: key.resource)
        }
        var ctx = Context(admission: admission, fieldWrite: .preset(entries))
        let stored = try replace(current, with: object, keepStatus: false, ctx: &ctx)
        settle(ctx: &ctx)
        return (objects[stored.key] ?? stored, ctx.events)
    }

    private static func checkNames(_ object: KubeObject, _ key: ObjectKey) throws(WorldError) {
        if !object.name.isEmpty, object.name != key.name {
            throw .badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(key.name))")
        }
        if key.resource.namespaced, !object.namespace.isEmpty, object.namespace != key.namespace {
            throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
    }
}
