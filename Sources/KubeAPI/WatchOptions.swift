import JSON
import Kubernetes
import Synchronization

/// The watch options beyond selectors and `resourceVersion`: bookmarks and the watch-list
/// feature (`sendInitialEvents`), validated as `validateWatchOptions` in
/// `staging/src/k8s.io/apiserver/pkg/apis/meta/internalversion/validation/validation.go`@v1.32.0.
struct WatchOptions {
    /// `allowWatchBookmarks=true`: BOOKMARK events every `KubeAPIHandler.bookmarkInterval`
    /// and when the watch's `timeoutSeconds` ends it.
    var bookmarks: Bool
    /// `sendInitialEvents=true`: the current state as ADDED events, then (with bookmarks) a
    /// BOOKMARK annotated `k8s.io/initial-events-end`, then changes.
    var sendInitialEvents: Bool

    static let listOptions = ResourceType(
        group: "meta.k8s.io", plural: "listoptions", singular: "listoptions", kind: "ListOptions", namespaced: false)

    init(_ query: [String: String]) throws(WorldError) {
        bookmarks = Self.flag(query["allowWatchBookmarks"]) ?? false
        let send = Self.flag(query["sendInitialEvents"])
        sendInitialEvents = send ?? false
        let match = query["resourceVersionMatch"] ?? ""
        var causes: [String] = []
        if send != nil, match != "NotOlderThan" {
            causes.append("resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan")
        }
        if !match.isEmpty, send == nil {
            causes.append("resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided")
        }
        if !match.isEmpty, match != "NotOlderThan" {
            causes.append("resourceVersionMatch: Unsupported value: \"\(match)\": supported values: \"NotOlderThan\"")
        }
        if !causes.isEmpty { throw .invalid(Self.listOptions, "", causes) }
    }

    /// Go's `strconv.ParseBool` for the forms clients send; nil when absent.
    private static func flag(_ text: String?) -> Bool? {
        guard let text else { return nil }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(text)
    }

    /// A BOOKMARK event: an object of the watched kind carrying only its resource version (and,
    /// at the end of the initial events, their annotation), as the watch cache sends it
    /// (`cacher.go`@v1.32.0); a Table watch gets an empty Table with that version.
    static func bookmark(_ type: ResourceType, resourceVersion: UInt64, initialEventsEnd: Bool = false, asTable: Bool) -> JSONValue {
        var meta: JSONObject = ["resourceVersion": .string(String(resourceVersion))]
        if initialEventsEnd { meta["annotations"] = ["k8s.io/initial-events-end": "true"] }
        let object: JSONValue =
            asTable
            ? ["kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": .object(meta), "columnDefinitions": [], "rows": []]
            : ["kind": .string(type.kind), "apiVersion": .string(type.apiVersion), "metadata": .object(meta)]
        return ["type": "BOOKMARK", "object": object]
    }
}

/// The newest resource version a watch has seen, shared by its event loop and its bookmark timer.
final class SeenVersion: Sendable {
    private let m: Mutex<UInt64>
    init(_ v: UInt64) { m = Mutex(v) }
    var value: UInt64 { m.withLock { $0 } }
    func advance(to v: UInt64) { m.withLock { $0 = max($0, v) } }
}
