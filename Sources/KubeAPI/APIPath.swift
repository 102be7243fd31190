import JSON
import Kubernetes
import KubeRuntime

/// A request path of the Kubernetes REST API, taken apart:
/// `/api/v1/namespaces/default/pods/details-v1-xxx` or `/apis/apps/v1/deployments`.
enum APIPath: Equatable {
    case version
    case coreVersions  // /api
    case groups  // /apis
    case group(String)  // /apis/apps
    case resourceList(group: String, version: String)  // /api/v1, /apis/apps/v1
    case resource(ResourceRequest)
    /// `/openapi/v3` (nil) or one group-version document under it (`api/v1`, `apis/apps/v1`).
    case openAPIV3(String?)
    case openAPI
    case unknown

    struct ResourceRequest: Equatable {
        var group: String
        var version: String
        var plural: String
        var namespace: String?
        var name: String?
        var subresource: String?
    }

    init(_ path: String, _ catalog: ResourceCatalog = ResourceCatalog()) {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        switch parts.first {
        case "version" where parts.count == 1: self = .version
        case "openapi":
            if parts.count >= 2, parts[1] == "v3" {
                self = .openAPIV3(parts.count == 2 ? nil : parts.dropFirst(2).joined(separator: "/"))
            } else {
                self = .openAPI
            }
        case "api":
            if parts.count == 1 { self = .coreVersions; return }
            guard parts[1] == "v1" else { self = .unknown; return }
            self = Self.resourcePath(group: "", version: parts[1], rest: Array(parts.dropFirst(2)), catalog)
        case "apis":
            if parts.count == 1 { self = .groups; return }
            if parts.count == 2 { self = .group(parts[1]); return }
            self = Self.resourcePath(group: parts[1], version: parts[2], rest: Array(parts.dropFirst(3)), catalog)
        default:
            self = .unknown
        }
    }

    private static func resourcePath(group: String, version: String, rest: [String], _ catalog: ResourceCatalog) -> APIPath {
        if rest.isEmpty { return .resourceList(group: group, version: version) }
        var r = ResourceRequest(group: group, version: version, plural: rest[0])
        var tail = rest.dropFirst()
        // `/namespaces/<ns>/<resource>…` scopes a namespaced resource; `/namespaces/<ns>` alone
        // (or with a subresource such as `/status`) is the Namespace object itself.
        if rest[0] == "namespaces", rest.count >= 3, rest.count != 3 || catalog.all.contains(where: { $0.plural == rest[2] && $0.namespaced }) {
            r.namespace = rest[1]
            r.plural = rest[2]
            tail = rest.dropFirst(3)
        }
        if let name = tail.first { r.name = name }
        if tail.count >= 2 { r.subresource = tail.dropFirst().joined(separator: "/") }
        return .resource(r)
    }
}
