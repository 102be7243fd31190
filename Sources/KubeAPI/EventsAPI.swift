import JSON
import Kubernetes
import KubeRuntime

/// `events.k8s.io/v1` Events: the same stored objects as `core/v1` Events, with the field names
/// the API server's conversion gives them (`pkg/apis/events/v1/conversion.go@v1.32.0`):
/// `note` = message, `regarding` = involvedObject, `reportingController` = reportingComponent,
/// `deprecatedSource`/`deprecatedFirstTimestamp`/`deprecatedLastTimestamp`/`deprecatedCount` =
/// source/firstTimestamp/lastTimestamp/count. Requests are translated to the core resource and
/// its answers back, so both views always agree.
enum EventsAPI {
    /// (events.k8s.io/v1 name, core/v1 name) of every renamed field.
    static let renamed: [(String, String)] = [
        ("note", "message"), ("regarding", "involvedObject"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    static func toCore(_ v1: JSONValue) -> JSONValue {
        guard var o = v1.objectValue else { return v1 }
        for (new, old) in renamed {
            if let value = o[new] {
                o[old] = value
                o[new] = nil
            }
        }
        if o["apiVersion"] != nil { o["apiVersion"] = "v1" }
        return .object(o)
    }

    static func fromCore(_ core: JSONValue) -> JSONValue {
        guard var o = core.objectValue, o["kind"] == "Event" else { return core }
        for (new, old) in renamed {
            if let value = o[old] {
                o[new] = value
                o[old] = nil
            }
        }
        o["apiVersion"] = "events.k8s.io/v1"
        // `eventTime` has no omitempty in events.k8s.io/v1; the deprecated fields do.
        if o["eventTime"] == nil { o["eventTime"] = .null }
        for field in ["deprecatedFirstTimestamp", "deprecatedLastTimestamp", "reportingController", "reportingInstance"]
        where o[field] == .null || o[field] == "" {
            o[field] = nil
        }
        return .object(o)
    }

    /// A field selector written with events.k8s.io names, in core names.
    static func coreFieldSelector(_ selector: String) -> String {
        selector.split(separator: ",", omittingEmptySubsequences: false).map { clause -> String in
            var c = String(clause)
            if c.hasPrefix("regarding.") { c = "involvedObject." + c.dropFirst("regarding.".count) }
            if c.hasPrefix("reportingController") { c = "reportingComponent" + c.dropFirst("reportingController".count) }
            if c.hasPrefix("deprecatedSource") { c = "source" + c.dropFirst("deprecatedSource".count) }
            return c
        }.joined(separator: ",")
    }

    /// An answer of the core resource, as events.k8s.io/v1 gives it.
    static func translate(_ response: KubeResponse) -> KubeResponse {
        switch response {
        case .json(let status, let body): return .json(status: status, body: translateBody(body))
        case .watch(let stream):
            return .watch(
                AsyncStream { continuation in
                    let task = Task {
                        for await event in stream {
                            var e = event
                            if let object = e["object"] { e["object"] = translateBody(object) }
                            continuation.yield(e)
                        }
                        continuation.finish()
                    }
                    continuation.onTermination = { _ in task.cancel() }
                })
        case .text, .bytes: return response  // no Event answer is text or binary
        }
    }

    static func translateBody(_ body: JSONValue) -> JSONValue {
        switch body["kind"]?.stringValue {
        case "Event": return fromCore(body)
        case "EventList":
            var list = body
            list["apiVersion"] = "events.k8s.io/v1"
            list["items"] = .array((body["items"]?.arrayValue ?? []).map(fromCore))
            return list
        case "Table":
            var table = body
            table["rows"] = .array(
                (body["rows"]?.arrayValue ?? []).map { row in
                    var r = row
                    if let object = row["object"] { r["object"] = fromCore(object) }
                    return r
                })
            return table
        default: return body
        }
    }
}

extension KubeAPIHandler {
    /// Serves `/apis/events.k8s.io/v1/…events…` from the core Events.
    func eventsV1(_ r: APIPath.ResourceRequest, _ request: Request) async throws(WorldError) -> KubeResponse {
        var core = r
        core.group = ""
        var req = request
        if let selector = request.query["fieldSelector"] { req.query["fieldSelector"] = EventsAPI.coreFieldSelector(selector) }
        switch request.method {
        case "POST", "PUT":
            let body = try Self.objectBody(request, .eventsV1)
            if let av = body["apiVersion"]?.stringValue, av != ResourceType.eventsV1.apiVersion {
                throw .badRequest("the API version in the data (\(av)) does not match the expected API version (events.k8s.io/v1)")
            }
            req.body = Array(EventsAPI.toCore(body).canonicalJSON.utf8)
            req.contentType = "application/json"
        case "PATCH":
            // The patch is written against the events.k8s.io form: apply it there, store the result.
            guard let name = r.name else { break }
            let key = ObjectKey(.events, namespace: r.namespace ?? "", name: name)
            guard let current = cluster.get(key) else { throw .notFound(.eventsV1, name) }
            let patch = try JSONBody.decode(request.body)
            let v1 = EventsAPI.fromCore(current.json)
            let type = try Self.patchType(request.contentType)
            let patched: JSONValue
            do throws(JSONPatch.PatchError) {
                switch type {
                case .merge: patched = JSONPatch.merge(v1, patch)
                case .strategicMerge: patched = try JSONPatch.strategicMerge(v1, patch)
                case .json: patched = try JSONPatch.apply(operations: patch, to: v1)
                }
            } catch {
                throw .badRequest(error.message)
            }
            req.method = "PUT"
            req.body = Array(EventsAPI.toCore(patched).canonicalJSON.utf8)
            req.contentType = "application/json"
        default:
            break
        }
        return EventsAPI.translate(try await resource(core, req))
    }
}
