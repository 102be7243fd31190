import JSON
import Kubernetes
import KubeRuntime

/// The body and options of a server-side apply (`PATCH` with `application/apply-patch+yaml`),
/// as `staging/src/k8s.io/apiserver/pkg/endpoints/handlers/patch.go`@v1.32.0 reads them.
enum ApplyBody {
    static let mediaType = "application/apply-patch+yaml"

    static func isApply(_ contentType: String) -> Bool {
        (contentType.split(separator: ";").first.map { String($0).trimmedSpaces.lowercased() } ?? "") == mediaType
    }

    /// The applied object: JSON (what kubectl and client libraries send) or YAML.
    static func decode(_ bytes: [UInt8]) throws(WorldError) -> JSONValue {
        let value: JSONValue?
        do { value = try KubeDocument.decode(bytes) } catch {
            throw .badRequest(error.isJSON ? "error decoding request body: \(error.detail); send one JSON object" : "error decoding YAML: \(error.detail)")
        }
        // A JSON body that is not an object is refused where it is read, in Go's words.
        guard let value, KubeDocument.isJSON(bytes) || value.objectValue != nil else {
            throw .badRequest("error decoding request body: the applied configuration must be one object, in JSON or YAML")
        }
        return value
    }

    /// `PatchOptions` as the API server validates them (`ValidatePatchOptions` in
    /// `staging/src/k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go`@v1.32.0).
    static let patchOptions = ResourceType(
        group: "meta.k8s.io", plural: "patchoptions", singular: "patchoptions", kind: "PatchOptions", namespaced: false)

    /// `force` is only for apply.
    static func refuseForce(_ request: KubeAPIHandler.Request) throws(WorldError) {
        if request.query["force"] != nil {
            throw .invalid(patchOptions, "", ["force: Forbidden: may not be specified for non-apply patch"])
        }
    }

    /// The manager a write without `fieldManager` records: the user agent up to its first `/`,
    /// printable characters only, at most 128 (`prefixFromUserAgent` in
    /// `staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go`@v1.32.0).
    static func manager(fromUserAgent userAgent: String) -> String {
        let product = userAgent.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var out = ""
        for c in product.unicodeScalars where c.properties.generalCategory != .control && c.value >= 32 {
            if out.utf8.count >= 128 { break }
            out.unicodeScalars.append(c)
        }
        return out
    }
}

extension KubeAPIHandler {
    /// Who a create, update or patch is recorded as: `fieldManager`, else the user agent.
    static func owner(_ request: Request, subresource: String = "") -> FieldOwner {
        let given = request.query["fieldManager"] ?? ""
        let manager = given.isEmpty ? ApplyBody.manager(fromUserAgent: request.userAgent) : given
        return FieldOwner(manager: manager, operation: .update, subresource: subresource)
    }

    /// Server-side apply: `fieldManager` is required (422 as the API server's option validation
    /// answers), `force=true` takes conflicting fields; a missing object is created (201).
    func apply(_ key: ObjectKey, _ request: Request, dryRun: Bool) async throws(WorldError) -> KubeResponse {
        guard let manager = request.query["fieldManager"], !manager.isEmpty else {
            throw .invalid(ApplyBody.patchOptions, "", ["fieldManager: Required value: is required for apply patch"])
        }
        let force: Bool
        switch request.query["force"] ?? "false" {
        case "true", "1", "t", "T", "TRUE", "True": force = true
        case "false", "0", "f", "F", "FALSE", "False", "": force = false
        case let other: throw .badRequest("force: invalid boolean value \(other.debugDescription): use true or false")
        }
        let config = try ApplyBody.decode(request.body)
        let existed = cluster.get(key) != nil
        let applied = try await cluster.apply(key, config: config, manager: manager, force: force, dryRun: dryRun)
        return .json(status: existed ? 200 : 201, body: applied.json)
    }
}
