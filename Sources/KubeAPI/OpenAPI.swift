import Foundation
import JSON
import Kubernetes
import KubeRuntime

/// The OpenAPI documents kubectl reads, built from what the server serves at the moment (the
/// built-in kinds with `OpenAPISchemas`, and each CRD's `openAPIV3Schema`):
/// - `/openapi/v3` lists one document per group version (`serverRelativeURL` with a content hash,
///   so a new CRD changes the URL kubectl caches by); each document has, per kind, GET and PATCH
///   operations tagged `x-kubernetes-group-version-kind` and a schema with the same tag in
///   `components.schemas`. That is what `kubectl explain` renders
///   (`pkg/explain/v2/templates/plaintext.tmpl` in kubernetes/kubectl@v0.32.0). The PATCH takes
///   `fieldValidation`, so `kubectl apply`/`create` leave validation to the server; it declares no
///   request body, so kubectl computes apply patches from its built-in types (strategic merge) or,
///   for custom resources, as JSON merge patches (`pkg/cmd/apply/patcher.go`).
/// - `/openapi/v2` is the same in Swagger 2.0 JSON. kubectl asks for it only in protobuf
///   (`client-go/discovery.OpenAPISchema`), and only to check `kind: List` files, which its
///   field-validation probe does not cover: that form carries no definitions
///   (`OpenAPIv2Protobuf`), so kubectl finds no schema, skips its own check and the server
///   validates each item.
enum OpenAPI {
    static func root(_ catalog: ResourceCatalog) -> JSONValue {
        var paths: JSONObject = [:]
        for p in catalog.groupVersionPaths {
            let hash = document(p, catalog).map { contentHash($0.canonicalJSON) } ?? ""
            paths[p] = ["serverRelativeURL": .string("/openapi/v3/\(p)?hash=\(hash)")]
        }
        return ["paths": .object(paths)]
    }

    /// FNV-1a 64 of the document, as 16 hex digits twice (the API server's hashes are 128 hex digits of SHA-512).
    static func contentHash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in text.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        let hex = String(h, radix: 16, uppercase: true)
        let padded = String(repeating: "0", count: 16 - hex.count) + hex
        return padded + padded
    }

    /// The kinds served at a `api/v1` / `apis/<group>/<version>` path.
    static func kinds(_ groupVersionPath: String, _ catalog: ResourceCatalog) -> [ResourceType] {
        let parts = groupVersionPath.split(separator: "/").map(String.init)
        switch (parts.first, parts.count) {
        case ("api", 2): return catalog.resources(group: "", version: parts[1])
        case ("apis", 3): return catalog.resources(group: parts[1], version: parts[2])
        default: return []
        }
    }

    /// The definition name of a kind: built-ins as the API server names them, custom resources as
    /// the CRD OpenAPI builder does (`networking.istio.io/v1alpha3` → `io.istio.networking.v1alpha3.VirtualService`).
    static func definitionName(_ r: ResourceType, _ catalog: ResourceCatalog) -> String {
        if catalog.definition(of: r) == nil, let name = OpenAPISchemas.definitionName(r) { return name }
        let reversed = r.group.split(separator: ".").reversed().joined(separator: ".")
        return "\(reversed).\(r.version).\(r.kind)"
    }

    static func gvk(_ r: ResourceType) -> JSONValue {
        ["group": .string(r.group), "version": .string(r.version), "kind": .string(r.kind)]
    }

    /// The schema of one served kind, tagged with its group, version and kind.
    static func schema(_ r: ResourceType, _ catalog: ResourceCatalog) -> JSONValue {
        var schema: JSONValue
        if let crd = catalog.definition(of: r) {
            schema = crd.version(r.version)?.schema ?? ["type": "object", "x-kubernetes-preserve-unknown-fields": true]
            if schema["type"] == nil { schema["type"] = "object" }
            var properties = schema["properties"]?.objectValue ?? [:]
            properties["apiVersion"] = OpenAPISchemas.string("APIVersion defines the versioned schema of this representation of an object.")
            properties["kind"] = OpenAPISchemas.string("Kind is a string value representing the REST resource this object represents.")
            properties["metadata"] = OpenAPISchemas.ref(OpenAPISchemas.meta + "ObjectMeta", "Standard object's metadata.")
            schema["properties"] = .object(properties)
        } else {
            schema = OpenAPISchemas.definitionName(r).flatMap { OpenAPISchemas.definitions[$0] } ?? ["type": "object"]
        }
        schema["x-kubernetes-group-version-kind"] = [gvk(r)]
        return schema
    }

    static func operations(_ r: ResourceType) -> JSONValue {
        func op(_ action: String, _ parameters: [String]) -> JSONValue {
            [
                "x-kubernetes-group-version-kind": gvk(r), "x-kubernetes-action": .string(action),
                "parameters": .array(parameters.map { ["name": .string($0), "in": "query", "schema": ["type": "string"]] }),
                "responses": ["200": ["description": "OK"]],
            ]
        }
        return ["get": op("get", []), "patch": op("patch", ["dryRun", "fieldManager", "fieldValidation"])]
    }

    /// The document for `api/v1` or `apis/<group>/<version>`, nil if not served.
    static func document(_ groupVersionPath: String, _ catalog: ResourceCatalog) -> JSONValue? {
        let kinds = kinds(groupVersionPath, catalog)
        guard !kinds.isEmpty else { return nil }
        var paths: JSONObject = [:]
        var schemas: JSONObject = [:]
        for r in kinds {
            let scope = r.namespaced ? "/namespaces/{namespace}" : ""
            paths["/\(groupVersionPath)\(scope)/\(r.plural)/{name}"] = operations(r)
            schemas[definitionName(r, catalog)] = schema(r, catalog)
        }
        // Shared definitions (ObjectMeta, PodSpec, …) the kinds refer to.
        for name in OpenAPISchemas.shared { schemas[name] = OpenAPISchemas.definitions[name] }
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes", "version": "v1.32.0-xdsemu"], "paths": .object(paths),
            "components": ["schemas": .object(schemas)],
        ]
    }

    /// `/openapi/v2`: every group version's paths and schemas in one Swagger 2.0 document.
    static func swagger(_ catalog: ResourceCatalog) -> JSONValue {
        var paths: JSONObject = [:]
        var definitions: JSONObject = [:]
        for p in catalog.groupVersionPaths {
            guard let doc = document(p, catalog) else { continue }
            for (k, v) in doc["paths"]?.objectValue ?? [:] { paths[k] = v }
            for (k, v) in doc[path: ["components", "schemas"]]?.objectValue ?? [:] { definitions[k] = v }
        }
        let text = JSONValue.object(["paths": .object(paths), "definitions": .object(definitions)]).canonicalJSON
            .replacingOccurrences(of: "#/components/schemas/", with: "#/definitions/")
        var doc = (try? JSONValue(parsing: text)) ?? .object([:])
        doc["swagger"] = "2.0"
        doc["info"] = ["title": "Kubernetes", "version": "v1.32.0-xdsemu"]
        return doc
    }

    /// kubectl's only request for v2 (`Accept: application/com.github.proto-openapi.spec.v2@v1.0+protobuf`).
    static func wantsProtobufOnly(_ accept: String) -> Bool {
        accept.contains("protobuf") && !accept.contains("json") && !accept.contains("*/*")
    }
}
