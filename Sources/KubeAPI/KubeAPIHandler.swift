import JSON
import Kubernetes
import KubeRuntime

/// What the facade answers: a JSON document with a status code, or a watch stream of JSON lines.
package enum KubeResponse: Sendable {
    case json(status: Int, body: JSONValue)
    /// One JSON watch event per element, written as it arrives; ends when the stream ends.
    case watch(AsyncStream<JSONValue>)
    /// Plain text (a container's log), written as it arrives; ends when the stream ends.
    case text(AsyncStream<String>)
    /// A binary body (the protobuf form of `/openapi/v2`).
    case bytes(status: Int, contentType: String, body: [UInt8])
}

/// The Kubernetes REST API over a `LiveWorld`, independent of HTTP plumbing: method, path, query,
/// two headers and a body in, a `KubeResponse` out. Never throws: every failure becomes a
/// Kubernetes `Status` with the code the real API server would use.
package struct KubeAPIHandler: Sendable {
    package let cluster: LiveWorld
    /// `host:port` the server listens on, for `/api`'s serverAddressByClientCIDRs.
    package var serverAddress: String
    /// How often a watch with `allowWatchBookmarks=true` gets a BOOKMARK, on the wall clock
    /// (the watch cache's `bookmarkFrequency` is a minute).
    package var bookmarkInterval: Duration = .seconds(60)
    /// What the containers logged (`pods/NAME/log`); nil: every log is empty.
    package var logs: ContainerLogs?

    package init(cluster: LiveWorld, serverAddress: String, logs: ContainerLogs? = nil) {
        self.cluster = cluster
        self.serverAddress = serverAddress
        self.logs = logs
    }

    package struct Request: Sendable {
        package var method: String
        package var path: String
        package var query: [String: String]
        package var accept: String
        package var contentType: String
        package var body: [UInt8]
        /// The `User-Agent` header: names the field manager of a write without `fieldManager`.
        package var userAgent: String

        package init(
            method: String, path: String, query: [String: String] = [:], accept: String = "application/json", contentType: String = "",
            body: [UInt8] = [], userAgent: String = ""
        ) {
            self.method = method
            self.path = path
            self.query = query
            self.accept = accept
            self.contentType = contentType
            self.body = body
            self.userAgent = userAgent
        }
    }

    static let notFoundPath = WorldError(.notFound, "the server could not find the requested resource")

    package func respond(_ request: Request) async -> KubeResponse {
        do {
            return try await route(request)
        } catch {
            return .json(status: error.code.httpStatus, body: KubeStatus.json(error))
        }
    }

    private func route(_ request: Request) async throws(WorldError) -> KubeResponse {
        let catalog = cluster.resources
        let path = APIPath(request.path, catalog)
        if case .resource(let r) = path { return try await resource(r, request) }
        guard request.method == "GET" else {
            throw WorldError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
        switch path {
        case .version: return .json(status: 200, body: Discovery.serverVersion)
        case .coreVersions: return .json(status: 200, body: Discovery.coreVersions(serverAddress: serverAddress))
        case .groups: return .json(status: 200, body: Discovery.groups(catalog))
        case .group(let g):
            guard let doc = Discovery.group(g, catalog) else { throw Self.notFoundPath }
            return .json(status: 200, body: doc)
        case .openAPIV3(nil): return .json(status: 200, body: OpenAPI.root(catalog))
        case .openAPIV3(let gv?):
            guard let doc = OpenAPI.document(gv, catalog) else { throw Self.notFoundPath }
            return .json(status: 200, body: doc)
        case .openAPI where request.path.hasSuffix("/openapi/v2"):
            if OpenAPI.wantsProtobufOnly(request.accept) {
                return .bytes(status: 200, contentType: OpenAPIv2Protobuf.contentType, body: OpenAPIv2Protobuf.document)
            }
            return .json(status: 200, body: OpenAPI.swagger(catalog))
        case .resourceList(let g, let v):
            guard let doc = Discovery.resourceList(group: g, version: v, catalog) else { throw Self.notFoundPath }
            return .json(status: 200, body: doc)
        default:
            throw Self.notFoundPath
        }
    }

    // MARK: Resources

    func resource(_ r: APIPath.ResourceRequest, _ request: Request) async throws(WorldError) -> KubeResponse {
        let catalog = cluster.resources
        guard let type = catalog.served(r.plural, group: r.group, version: r.version), let stored = catalog.named(r.plural, group: r.group)
        else {
            throw Self.notFoundPath
        }
        if type == .eventsV1 { return try await eventsV1(r, request) }
        if r.namespace != nil, !type.namespaced { throw Self.notFoundPath }
        let dryRun = request.query["dryRun"] == "All"
        if let sub = r.subresource {
            guard let name = r.name else { throw Self.notFoundPath }
            let key = ObjectKey(type, namespace: r.namespace ?? "", name: name)
            switch sub {
            case "status" where request.method == "GET":
                return try object(key, type, request, catalog)
            case "scale" where type == .deployments || type == .replicaSets:
                return try await scale(key, request, owner: Self.owner(request, subresource: "scale"))
            case "log" where type == .pods && request.method == "GET":
                return try log(key, request)
            default:
                throw Self.notFoundPath
            }
        }
        switch (request.method, r.name) {
        case ("GET", nil):
            if let w = request.query["watch"], w == "true" || w == "1" { return try watch(type, namespace: r.namespace, request, catalog) }
            return try list(type, namespace: r.namespace, request, catalog)
        case ("GET", let name?):
            if let w = request.query["watch"], w == "true" || w == "1" {
                var q = request
                q.query["fieldSelector"] = "metadata.name=\(name)"
                return try watch(type, namespace: r.namespace, q, catalog)
            }
            return try object(ObjectKey(type, namespace: r.namespace ?? "", name: name), type, request, catalog)
        case ("POST", nil):
            var obj = try KubeObject(json: try Self.objectBody(request, type), resource: type)
            obj.resource = stored
            if type.namespaced {
                let ns = r.namespace ?? "default"
                if !obj.namespace.isEmpty, obj.namespace != ns {
                    throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
                }
                obj.metadata.namespace = ns
            }
            let created = try await cluster.create(obj, dryRun: dryRun, owner: Self.owner(request))
            return .json(status: 201, body: created.served(as: type).json)
        case ("PUT", let name?):
            var obj = try KubeObject(json: try Self.objectBody(request, type), resource: type)
            obj.resource = stored
            if obj.name != name {
                throw .badRequest("the name of the object (\(obj.name)) does not match the name on the URL (\(name))")
            }
            if type.namespaced { obj.metadata.namespace = r.namespace ?? "default" }
            let updated = try await cluster.update(obj, dryRun: dryRun, owner: Self.owner(request))
                .keepingVersion(of: dryRun ? cluster.get(obj.key) : nil)
            return .json(status: 200, body: updated.served(as: type).json)
        case ("PATCH", let name?):
            let key = ObjectKey(stored, namespace: r.namespace ?? "", name: name)
            if ApplyBody.isApply(request.contentType) { return try await apply(key, request, dryRun: dryRun) }
            try ApplyBody.refuseForce(request)
            let patchType = try Self.patchType(request.contentType)
            if patchType == .strategicMerge, catalog.definition(of: type) != nil { throw Self.strategicMergeOnCustomResource }
            let patch = try JSONBody.decode(request.body)
            let patched = try await cluster.patch(key, patch: patch, type: patchType, dryRun: dryRun, owner: Self.owner(request))
                .keepingVersion(of: dryRun ? cluster.get(key) : nil)
            return .json(status: 200, body: patched.served(as: type).json)
        case ("DELETE", let name?):
            let key = ObjectKey(type, namespace: r.namespace ?? "", name: name)
            let options = request.body.isEmpty ? JSONValue.object([:]) : try JSONBody.decode(request.body)
            let grace = options["gracePeriodSeconds"]?.intValue ?? request.query["gracePeriodSeconds"].flatMap { Int64($0) }
            // kubectl puts `dryRun` in the DeleteOptions body, not the query.
            let dryRunOption = options["dryRun"]?.arrayValue?.contains(.string("All")) ?? false
            let result = try await cluster.delete(key, gracePeriodSeconds: grace, dryRun: dryRun || dryRunOption)
            // Stores with `ReturnDeletedObject` answer the object even when it went at once
            // (`pkg/registry/core/{pod,service,serviceaccount}/storage/storage.go`@v1.32.0).
            if result.isTerminating || [.pods, .services, .serviceAccounts].contains(type) {
                return .json(status: 200, body: result.served(as: type).json)
            }
            var details: JSONObject = ["name": .string(name), "kind": .string(type.plural), "uid": .string(result.metadata.uid)]
            if !type.group.isEmpty { details["group"] = .string(type.group) }
            return .json(status: 200, body: KubeStatus.success(details))
        case ("DELETE", nil):
            throw WorldError(.methodNotAllowed, "the server does not allow this method on the requested resource (delete \(type.qualifiedName))", resource: type)
        default:
            throw WorldError(.methodNotAllowed, "the server does not allow this method on the requested resource", resource: type)
        }
    }

    /// A create or update body: JSON, or the protobuf typed clients send for a few kinds. No
    /// Content-Type is taken as JSON (what a hand-written client means); anything else, YAML and
    /// a browser's `text/plain` form post included, is refused with 415 naming what is accepted.
    static func objectBody(_ request: Request, _ type: ResourceType) throws(WorldError) -> JSONValue {
        if ProtobufBody.isProtobuf(request.contentType) { return try ProtobufBody.decode(request.body, resource: type) }
        let media = (request.contentType.split(separator: ";").first.map { String($0).trimmedSpaces } ?? "").lowercased()
        guard media.isEmpty || media == "application/json" else {
            let accepted = "accepted media types include: application/json, application/vnd.kubernetes.protobuf"
            let yaml = ["application/yaml", "application/x-yaml", "text/yaml"].contains(media)
            throw WorldError(
                .unsupportedMediaType,
                yaml
                    ? "the body of the request was in YAML (\(media)), which xdsemu does not decode; send JSON (kubectl does) - \(accepted)"
                    : "the body of the request was in an unknown format (\(media)) - \(accepted)")
        }
        return try JSONBody.decode(request.body)
    }

    static func patchType(_ contentType: String) throws(WorldError) -> World.PatchType {
        let media = contentType.split(separator: ";").first.map { String($0).trimmedSpaces } ?? ""
        if let t = World.PatchType(rawValue: media) { return t }
        let supported = "[application/json-patch+json application/merge-patch+json application/strategic-merge-patch+json application/apply-patch+yaml]"
        throw WorldError(.unsupportedMediaType, "the body of the request was in an unknown format - accepted media types include: \(supported)")
    }

    private func object(_ key: ObjectKey, _ type: ResourceType, _ request: Request, _ catalog: ResourceCatalog) throws(WorldError) -> KubeResponse {
        let world = cluster.world
        guard let o = world.get(key)?.served(as: type) else { throw .notFound(key.resource, key.name) }
        if Self.wantsTable(request.accept) {
            let t = TableConverter(now: cluster.clock.now(), serving: type, in: catalog)
            return .json(status: 200, body: t.table(key.resource, [o], resourceVersion: o.metadata.resourceVersion, include: Self.include(request)))
        }
        return .json(status: 200, body: o.json)
    }

    static func wantsTable(_ accept: String) -> Bool { accept.contains("as=Table") }
    static func include(_ request: Request) -> TableConverter.IncludeObject {
        TableConverter.IncludeObject(rawValue: request.query["includeObject"] ?? "") ?? .metadata
    }

    private func selectors(_ request: Request) throws(WorldError) -> (LabelSelector, FieldSelector?) {
        let labels = try LabelSelector(parsing: request.query["labelSelector"] ?? "")
        let fields = try request.query["fieldSelector"].flatMap { s throws(WorldError) in s.isEmpty ? nil : try FieldSelector(parsing: s) }
        return (labels, fields)
    }

    private func list(_ type: ResourceType, namespace: String?, _ request: Request, _ catalog: ResourceCatalog) throws(WorldError) -> KubeResponse {
        let (labels, fields) = try selectors(request)
        try fields?.check(for: type)
        let page = try ListPage.serve(type, namespace: namespace, labels: labels, fields: fields, query: request.query, cluster: cluster)
        if page.expired != nil { return .json(status: 410, body: page.expiredStatus) }
        let items = page.items.map { $0.served(as: type) }
        var body: JSONValue
        if Self.wantsTable(request.accept) {
            let t = TableConverter(now: cluster.clock.now(), serving: type, in: catalog)
            body = t.table(type, items, resourceVersion: page.resourceVersion, include: Self.include(request))
        } else {
            body = [
                "kind": .string("\(type.kind)List"), "apiVersion": .string(type.apiVersion),
                "metadata": ["resourceVersion": .string(String(page.resourceVersion))],
                "items": .array(items.map(\.json)),
            ]
        }
        body["metadata"] = page.listMeta(body["metadata"])
        return .json(status: 200, body: body)
    }

    // MARK: Watch

    private func watch(_ type: ResourceType, namespace: String?, _ request: Request, _ catalog: ResourceCatalog) throws(WorldError) -> KubeResponse {
        let (labels, fields) = try selectors(request)
        try fields?.check(for: type)
        let asTable = Self.wantsTable(request.accept)
        let include = Self.include(request)
        let rvParam = request.query["resourceVersion"] ?? ""
        let timeout = request.query["timeoutSeconds"].flatMap { Int64($0) }
        let options = try WatchOptions(request.query)
        let matches: @Sendable (KubeObject) -> Bool = { o in
            o.resource == type && (namespace == nil || o.namespace == namespace) && labels.matches(o.labels)
                && (fields?.matches(o) ?? true)
        }
        // "" and "0" mean "start from now, with the current state as ADDED events first".
        let initial: [KubeObject]
        let events: AsyncStream<WorldEvent>
        let seen: SeenVersion
        if rvParam.isEmpty || rvParam == "0" || options.sendInitialEvents {
            let world = cluster.world
            initial = world.list(type, namespace: namespace).filter(matches)
            events = try cluster.events(after: world.resourceVersion)
            seen = SeenVersion(world.resourceVersion)
        } else {
            guard let rv = UInt64(rvParam) else {
                throw .badRequest("invalid resource version: \(rvParam)")
            }
            initial = []
            seen = SeenVersion(rv)
            do {
                events = try cluster.events(after: rv)
            } catch {
                // The API server reports a compacted version inside the stream, then ends it.
                return .watch(AsyncStream { c in
                    c.yield(["type": "ERROR", "object": KubeStatus.json(error)])
                    c.finish()
                })
            }
        }
        let cluster = self.cluster
        let bookmarkInterval = self.bookmarkInterval
        let bookmark: @Sendable (Bool) -> JSONValue = { end in
            WatchOptions.bookmark(type, resourceVersion: seen.value, initialEventsEnd: end, asTable: asTable)
        }
        let stream = AsyncStream<JSONValue> { continuation in
            let task = Task {
                var first = true
                func encode(_ event: String, _ stored: KubeObject) -> JSONValue {
                    let o = stored.served(as: type)
                    guard asTable else { return ["type": .string(event), "object": o.json] }
                    let t = TableConverter(now: cluster.clock.now(), serving: type, in: catalog)
                    // Column definitions go with the first event only, as the API server does.
                    defer { first = false }
                    return ["type": .string(event), "object": t.table(o.resource, [o], resourceVersion: o.metadata.resourceVersion, include: include, headers: first)]
                }
                for o in initial { continuation.yield(encode("ADDED", o)) }
                if options.sendInitialEvents, options.bookmarks { continuation.yield(bookmark(true)) }
                for await e in events {
                    if matches(e.object) { continuation.yield(encode(e.type.rawValue, e.object)) }
                    seen.advance(to: e.resourceVersion)
                }
                continuation.finish()
            }
            var timer: Task<Void, Never>?
            if let timeout, timeout > 0 {
                timer = Task {
                    try? await Task.sleep(for: .seconds(timeout))
                    task.cancel()
                    if options.bookmarks, !Task.isCancelled { continuation.yield(bookmark(false)) }
                    continuation.finish()
                }
            }
            let ticker: Task<Void, Never>? =
                options.bookmarks
                ? Task {
                    while !Task.isCancelled {
                        do { try await Task.sleep(for: bookmarkInterval) } catch { return }
                        continuation.yield(bookmark(false))
                    }
                } : nil
            continuation.onTermination = { [timer] _ in
                task.cancel()
                timer?.cancel()
                ticker?.cancel()
            }
        }
        return .watch(stream)
    }

    // MARK: Scale subresource (kubectl scale)

    private func scale(_ key: ObjectKey, _ request: Request, owner: FieldOwner?) async throws(WorldError) -> KubeResponse {
        func scaleJSON(_ o: KubeObject) -> JSONValue {
            var meta = o.metadata
            meta.labels = [:]
            meta.annotations = [:]
            meta.ownerReferences = []
            return [
                "kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": meta.json,
                "spec": ["replicas": .int(o.spec["replicas"]?.intValue ?? 1)],
                "status": [
                    "replicas": .int(o.status["replicas"]?.intValue ?? 0),
                    "selector": .string(TableConverter.selectorString(o.spec["selector"]).replacingNone),
                ],
            ]
        }
        switch request.method {
        case "GET":
            guard let o = cluster.get(key) else { throw .notFound(key.resource, key.name) }
            return .json(status: 200, body: scaleJSON(o))
        case "PATCH", "PUT":
            let body = try JSONBody.decode(request.body)
            guard let replicas = body[path: ["spec", "replicas"]]?.intValue else {
                throw .invalid(key.resource, key.name, ["spec.replicas: Required value"])
            }
            let o = try await cluster.patch(key, patch: ["spec": ["replicas": .int(replicas)]], type: .merge, owner: owner)
            return .json(status: 200, body: scaleJSON(o))
        default:
            throw WorldError(.methodNotAllowed, "the server does not allow this method on the requested resource")
        }
    }
}

extension String {
    var trimmedSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
    var replacingNone: String { self == "<none>" ? "" : self }
}
