import JSON
/// The two patch dialects kubectl sends: JSON merge patch (RFC 7386, `kubectl patch --type merge`)
/// and Kubernetes' strategic merge patch (`kubectl label`, `kubectl rollout restart`,
/// `kubectl apply`). Pure functions over `JSONValue`.
package enum JSONPatch {
    /// RFC 7386: objects merge recursively, `null` deletes a key, anything else replaces.
    package static func merge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let p) = patch else { return patch }
        var t = target.objectValue ?? [:]
        for (k, v) in p {
            if v == .null {
                t[k] = nil
            } else {
                t[k] = merge(t[k] ?? .null, v)
            }
        }
        return .object(t)
    }

    /// Strategic merge patch, the subset Kubernetes' built-in types need: maps merge like a merge
    /// patch; lists whose elements carry a merge key (`name` for containers, env, volumes, …;
    /// `containerPort` / `port` for ports) merge element-wise and honour `$patch: delete`;
    /// other lists are replaced. Directives kubectl adds for ordering (`$setElementOrder/…`,
    /// `$retainKeys`) only steer ordering or pruning, so they are dropped.
    package static func strategicMerge(_ target: JSONValue, _ patch: JSONValue) throws(PatchError) -> JSONValue {
        try strategicMerge(target, patch, key: nil)
    }

    package struct PatchError: Error, Hashable, Sendable {
        package var message: String
    }

    private static let mergeKeys: [String: String] = [
        "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
        "env": "name", "volumes": "name", "volumeMounts": "mountPath", "imagePullSecrets": "name",
        "webhooks": "name", "conditions": "type", "ownerReferences": "uid",
    ]

    private static func strategicMerge(_ target: JSONValue, _ patch: JSONValue, key: String?) throws(PatchError)
        -> JSONValue
    {
        guard case .object(var p) = patch else { return patch }
        if p["$patch"] == "replace" {
            p["$patch"] = nil
            return .object(p.filter { !$0.key.hasPrefix("$") })
        }
        if p["$patch"] == "delete" { return .null }
        var t = target.objectValue ?? [:]
        for (k, v) in p {
            if k.hasPrefix("$setElementOrder/") || k == "$retainKeys" || k == "$patch" { continue }
            if k.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(k.dropFirst("$deleteFromPrimitiveList/".count))
                let remove = Set(v.arrayValue ?? [])
                t[field] = t[field]?.arrayValue.map { .array($0.filter { !remove.contains($0) }) }
                continue
            }
            if k.hasPrefix("$") { throw PatchError(message: "unknown patch directive \"\(k)\"") }
            if v == .null {
                t[k] = nil
            } else if case .array(let items) = v {
                t[k] = try mergeList(t[k]?.arrayValue ?? [], items, field: k)
            } else if case .object = v {
                let merged = try strategicMerge(t[k] ?? .null, v, key: k)
                t[k] = merged == .null ? nil : merged
            } else {
                t[k] = v
            }
        }
        return .object(t)
    }

    private static func mergeList(_ target: [JSONValue], _ patch: [JSONValue], field: String) throws(PatchError)
        -> JSONValue
    {
        let key: String? =
            if field == "ports" {
                patch.first?["containerPort"] != nil ? "containerPort" : "port"
            } else {
                mergeKeys[field]
            }
        guard let key, patch.allSatisfy({ $0.objectValue != nil }) else {
            return .array(patch.filter { $0["$patch"] == nil })
        }
        var result = target
        for item in patch {
            if item["$patch"] == "replace" { return .array(patch.filter { $0["$patch"] == nil }) }
            guard let id = item[key] else {
                throw PatchError(message: "map: \(item.canonicalJSON) does not contain declared merge key: \(key)")
            }
            let index = result.firstIndex { $0[key] == id }
            if item["$patch"] == "delete" {
                if let index { result.remove(at: index) }
                continue
            }
            if let index {
                result[index] = try strategicMerge(result[index], item, key: nil)
            } else {
                result.append(try strategicMerge(.object([:]), item, key: nil))
            }
        }
        return .array(result)
    }
}
