import Foundation
import JSON
import Kubernetes
import KubeRuntime

/// One page of a list (`limit` / `continue`), as the API server's etcd3 store serves it
/// (`staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go` GetList and
/// `storage/continue.go`@v1.32.0).
///
/// Consistency: every page after the first comes from the world as it was at the first page's
/// resource version, which `LiveWorld` keeps (`keepSnapshot`) while its event log still reaches
/// back to it, at most eight at a time; a token whose world is gone answers 410 `Expired` with a
/// token that continues from the current world, as etcd does after compaction.
struct ListPage {
    var items: [KubeObject]
    var resourceVersion: UInt64
    var continueToken: String?
    var remainingItemCount: Int?
    /// Set when the token's world is gone: the inconsistent token the 410 offers.
    var expired: String?

    /// The list's metadata with the page's `continue` and `remainingItemCount`.
    func listMeta(_ existing: JSONValue?) -> JSONValue {
        var m = existing?.objectValue ?? [:]
        if let continueToken { m["continue"] = .string(continueToken) }
        if let remainingItemCount { m["remainingItemCount"] = .int(Int64(remainingItemCount)) }
        return .object(m)
    }

    static let expiredMessage =
        "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."

    /// The 410 for an expired token, carrying the token to continue inconsistently.
    var expiredStatus: JSONValue {
        var status = KubeStatus.failure(code: 410, reason: "Expired", message: Self.expiredMessage)
        status["metadata"] = ["continue": .string(expired ?? "")]
        return status
    }

    static func serve(
        _ type: ResourceType, namespace: String?, labels: LabelSelector, fields: FieldSelector?, query: [String: String],
        cluster: LiveWorld
    ) throws(WorldError) -> ListPage {
        let limit = query["limit"].flatMap { Int($0) } ?? 0
        let filtered = !labels.requirements.isEmpty || fields != nil
        let world: World
        var after: (namespace: String, name: String)?
        if let text = query["continue"], !text.isEmpty {
            if let rv = query["resourceVersion"], !rv.isEmpty {
                throw .badRequest("specifying resource version is not allowed when using continue")
            }
            let token = try Token(decoding: text)
            after = token.start
            if token.resourceVersion == -1 {
                world = cluster.world
            } else if let kept = cluster.snapshot(at: UInt64(token.resourceVersion)) {
                world = kept
            } else {
                let now = cluster.world.resourceVersion
                let retry = Token(resourceVersion: -1, start: token.start).encoded
                return ListPage(items: [], resourceVersion: now, expired: retry)
            }
        } else {
            world = cluster.world
        }
        var items = world.list(type, namespace: namespace, labels: labels, fields: fields)
        if let after { items = items.filter { ($0.namespace, $0.name) > (after.namespace, after.name) } }
        guard limit > 0, items.count > limit else {
            return ListPage(items: items, resourceVersion: world.resourceVersion)
        }
        if after == nil { cluster.keepSnapshot(world) }
        let page = Array(items.prefix(limit))
        let last = page[page.count - 1]
        return ListPage(
            items: page, resourceVersion: world.resourceVersion,
            continueToken: Token(resourceVersion: Int64(world.resourceVersion), start: (last.namespace, last.name))
                .encoded,
            // The store counts what is left only when nothing filters the list.
            remainingItemCount: filtered ? nil : items.count - limit)
    }

    /// The continue token: base64url (unpadded) JSON `{"v":"meta.k8s.io/v1","rv":…,"start":…}`,
    /// `start` being the key after the page's last item; `rv` -1 continues from the current world.
    struct Token {
        var resourceVersion: Int64
        /// The last item served: its namespace (empty for cluster-scoped kinds) and name.
        var start: (namespace: String, name: String)

        var encoded: String {
            let key = (start.namespace.isEmpty ? "" : start.namespace + "/") + start.name + "\u{0}"
            let json: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(resourceVersion), "start": .string(key)]
            return Data(json.canonicalJSON.utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }
}

extension ListPage.Token {
    /// Reads a token, answering the store's 400s for one it cannot read (`DecodeContinue`).
    init(decoding text: String) throws(WorldError) {
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let json = try? JSONValue(parsing: Array(data)) else {
            throw .badRequest("continue key is not valid: not base64url-encoded JSON")
        }
        guard json["v"] == "meta.k8s.io/v1" else {
            throw .badRequest(
                "continue key is not valid: server does not recognize this encoded version \(json["v"]?.stringValue ?? "")")
        }
        guard let rv = json["rv"]?.intValue, rv != 0 else {
            throw .badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        guard var key = json["start"]?.stringValue, !key.isEmpty else {
            throw .badRequest("continue key is not valid: encoded start key empty (version meta.k8s.io/v1)")
        }
        if key.hasSuffix("\u{0}") { key.removeLast() }
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        resourceVersion = rv
        start = parts.count == 2 ? (String(parts[0]), String(parts[1])) : ("", key)
    }
}
