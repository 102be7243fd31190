import JSON
import Kubernetes
import KubeRuntime

/// Just enough OpenAPI v3 for kubectl ≥ 1.27's `apply`/`create` validation: kubectl asks
/// `/openapi/v3` for the group-version documents and looks for a PATCH operation of the object's
/// kind that takes the `fieldValidation` query parameter. Finding it, kubectl leaves validation to
/// the server (sending `fieldValidation=Strict`) instead of downloading `/openapi/v2` schemas,
/// which the emulator does not have. No schemas are served, so `kubectl explain` is unsupported,
/// and kubectl computes apply patches from its built-in types.
enum OpenAPI {
    static let hash = "XDSEMU0000000000000000000000000000000000000000000000000000000001"

    static func groupVersionPaths(_ catalog: ResourceCatalog) -> [String] {
        var seen: [String] = []
        for r in catalog.all {
            let p = r.group.isEmpty ? "api/\(r.version)" : "apis/\(r.group)/\(r.version)"
            if !seen.contains(p) { seen.append(p) }
        }
        return seen
    }

    static func root(_ catalog: ResourceCatalog) -> JSONValue {
        var paths: JSONObject = [:]
        for p in groupVersionPaths(catalog) { paths[p] = ["serverRelativeURL": .string("/openapi/v3/\(p)?hash=\(hash)")] }
        return ["paths": .object(paths)]
    }

    /// The document for `api/v1` or `apis/<group>/<version>`, nil if not served.
    static func document(_ groupVersionPath: String, _ catalog: ResourceCatalog) -> JSONValue? {
        guard groupVersionPaths(catalog).contains(groupVersionPath) else { return nil }
        var paths: JSONObject = [:]
        for r in catalog.all {
            let p = r.group.isEmpty ? "api/\(r.version)" : "apis/\(r.group)/\(r.version)"
            guard p == groupVersionPath else { continue }
            let scope = r.namespaced ? "/namespaces/{namespace}" : ""
            let operation: JSONValue = [
                "x-kubernetes-group-version-kind": ["group": .string(r.group), "version": .string(r.version), "kind": .string(r.kind)],
                "x-kubernetes-action": "patch",
                "parameters": [
                    ["name": "dryRun", "in": "query", "schema": ["type": "string"]],
                    ["name": "fieldManager", "in": "query", "schema": ["type": "string"]],
                    ["name": "fieldValidation", "in": "query", "schema": ["type": "string"]],
                ],
                "responses": ["200": ["description": "OK"]],
            ]
            paths["/\(p)\(scope)/\(r.plural)/{name}"] = ["patch": operation]
        }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0-xdsemu"], "paths": .object(paths),
            "components": ["schemas": .object([:])],
        ]
    }
}
