import JSON

/// How a write changes an object's `metadata.managedFields`: the two operations of
/// `merge/update.go`@structured-merge-diff v4.4.2 as the API server wraps them
/// (`staging/src/k8s.io/apimachinery/pkg/util/managedfields/internal/`@v1.32.0:
/// `structuredmerge.go`, `managedfieldsupdater.go`, `stripmeta.go`, `conflict.go`).
package enum ManagedFields {
    /// The object as field sets see it: without `apiVersion`, `kind`, the server's own metadata
    /// (`stripmeta.go`) and, for kinds whose status only the server writes, without `status`
    /// (the strategies' reset fields).
    static func comparable(_ object: KubeObject) -> JSONValue {
        var body = object.body
        if World.serverOwnedStatus.contains(object.resource) { body["status"] = nil }
        var meta = object.metadata.json.objectValue ?? [:]
        for k in ["name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
            "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"]
        {
            meta[k] = nil
        }
        if !meta.isEmpty { body["metadata"] = .object(meta) }
        return .object(body)
    }

    /// The entries after `owner` turned `live` (nil on create) into `new` with a create, update
    /// or non-apply patch: the writer owns every field it added or changed, other managers lose
    /// those and every field that went (an update takes ownership, it never conflicts). The
    /// writer's time moves only when it changed something (`managedfieldsupdater.go`).
    package static func update(live: KubeObject?, new: KubeObject, owner: FieldOwner, now: Timestamp) -> [ManagedFieldsEntry] {
        let merge = StructuredMerge(FieldSchema(new.resource))
        let c = merge.compare(live.map(comparable) ?? .object([:]), comparable(new))
        let changed = c.added.union(c.modified)
        var out: [ManagedFieldsEntry] = []
        var previous: ManagedFieldsEntry?
        for e in live?.metadata.managedFields ?? [] {
            if e.owner == owner {
                previous = e
                continue
            }
            out += without(changed.union(c.removed), from: e)
        }
        var set = (previous?.fields ?? FieldSet()).subtracting(c.removed)
        var time = previous?.time ?? now
        if !changed.isEmpty {
            set = set.union(changed)
            time = now
        }
        if !set.isEmpty {
            out.append(
                ManagedFieldsEntry(
                    manager: owner.manager, operation: .update, apiVersion: new.resource.apiVersion, time: time, fields: set,
                    subresource: owner.subresource))
        }
        return sorted(out)
    }

    /// Server-side apply of `config` (the applied object's JSON) by `manager` onto `live`:
    /// returns the merged object's JSON and the new entries, or the 409 conflict.
    ///
    /// The applier's set becomes exactly the fields `config` sets; fields it applied before and
    /// no longer does are removed when nobody else owns them; a field the apply changes that
    /// another manager owns is a conflict unless `force`, which takes it from that manager.
    package static func apply(live: KubeObject, config: JSONValue, manager: String, force: Bool, now: Timestamp)
        throws(WorldError) -> (JSONValue, [ManagedFieldsEntry])
    {
        let resource = live.resource
        let merge = StructuredMerge(FieldSchema(resource))
        let applier = FieldOwner(manager: manager, operation: .apply)
        let applied = try appliedObject(config, resource)
        let newSet = merge.fieldSet(comparable(applied))
        let entries = live.metadata.managedFields
        let previous = entries.first { $0.owner == applier }
        let others = entries.filter { $0.owner != applier }

        var bare = live
        bare.metadata.managedFields = []
        var merged = merge.merge(bare.json, applied.json)
        // Prune what this applier stopped applying, unless someone still owns it or a field in it.
        if let previous {
            let owned = others.reduce(newSet) { $0.union($1.fields) }
            let gone = previous.fields.subtracting(newSet).sorted.filter { !owned.coversOrContains($0) }
            merged = merge.removing(gone, from: merged)
        }
        let mergedObject = try KubeObject(json: merged, resource: resource)
        let c = merge.compare(comparable(live), comparable(mergedObject))
        let changed = c.added.union(c.modified)

        var conflicts: [(FieldOwner, FieldPath)] = []
        for e in others {
            for p in e.fields.intersection(changed).sorted { conflicts.append((e.owner, p)) }
        }
        if !conflicts.isEmpty, !force {
            throw conflictError(conflicts.sorted { ($0.0.manager, $0.1) < ($1.0.manager, $1.1) }, apiVersion: resource.apiVersion)
        }
        var out = others.flatMap { without(changed.union(c.removed), from: $0) }
        if !newSet.isEmpty {
            let time = c.isSame ? (previous?.time ?? now) : now
            out.append(ManagedFieldsEntry(manager: manager, operation: .apply, apiVersion: resource.apiVersion, time: time, fields: newSet))
        }
        return (merged, sorted(out))
    }

    /// The entries of an object created by an apply: the applier owns what it sent.
    package static func created(by manager: String, config: KubeObject, now: Timestamp) -> [ManagedFieldsEntry] {
        let set = StructuredMerge(FieldSchema(config.resource)).fieldSet(comparable(config))
        return set.isEmpty
            ? [] : [ManagedFieldsEntry(manager: manager, operation: .apply, apiVersion: config.resource.apiVersion, time: now, fields: set)]
    }

    /// The applied configuration as an object of `resource`: kind and apiVersion must match,
    /// managedFields may not be sent (`fieldmanager.go` refuses them for apply).
    static func appliedObject(_ config: JSONValue, _ resource: ResourceType) throws(WorldError) -> KubeObject {
        if let mf = config[path: ["metadata", "managedFields"]], mf != .null {
            throw .badRequest("metadata.managedFields must be nil")
        }
        return try KubeObject(json: config, resource: resource)
    }

    /// `e` without `paths`; nothing when it owns nothing afterwards.
    private static func without(_ paths: FieldSet, from e: ManagedFieldsEntry) -> [ManagedFieldsEntry] {
        let set = e.fields
        let kept = set.subtracting(paths)
        if kept == set { return [e] }
        if kept.isEmpty { return [] }
        var e = e
        e.fieldsV1 = kept.fieldsV1
        return [e]
    }

    /// Apply entries first, then by time, manager, subresource (`sortEncodedManagedFields`).
    static func sorted(_ entries: [ManagedFieldsEntry]) -> [ManagedFieldsEntry] {
        entries.sorted {
            ($0.operation.rawValue, $0.time, $0.manager, $0.subresource) < ($1.operation.rawValue, $1.time, $1.manager, $1.subresource)
        }
    }

    /// The 409 the API server answers (`NewConflictError`/`getConflictMessage` in `conflict.go`).
    static func conflictError(_ conflicts: [(FieldOwner, FieldPath)], apiVersion: String) -> WorldError {
        let message: String
        if conflicts.count == 1 {
            message = "Apply failed with 1 conflict: conflict with \(conflicts[0].0.conflictName(apiVersion: apiVersion)): \(conflicts[0].1)"
        } else {
            var lines: [String] = []
            var seen: [FieldOwner] = []
            for (o, _) in conflicts where !seen.contains(o) { seen.append(o) }
            for o in seen {
                lines.append("conflicts with \(o.conflictName(apiVersion: apiVersion)):")
                for (o2, p) in conflicts where o2 == o { lines.append("- \(p)") }
            }
            message = "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
        }
        var error = WorldError(.conflict, message)
        error.causes = conflicts.map {
            WorldError.Cause(reason: "FieldManagerConflict", field: $0.1.description, message: "conflict with \($0.0.conflictName(apiVersion: apiVersion))")
        }
        return error
    }
}
