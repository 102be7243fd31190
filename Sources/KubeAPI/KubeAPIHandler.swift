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
}

/// The Kubernetes REST API over a `LiveWorld`, independent of HTTP plumbing: method, path, query,
/// two headers and a body in, a `KubeResponse` out. Never throws: every failure becomes a
/// Kubernetes `Status` with the code the real API server would use.
package struct KubeAPIHandler: Sendable {
    package let cluster: LiveWorld
    /// `host:port` the server listens on, for `/api`'s serverAddressByClientCIDRs.
    package var serverAddress: String
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

        package init(method: String, path: String, query: [String: String] = [:], accept: String = "application/json", contentType: String = "", body: [UInt8] = []) {
            self.method = method
            self.path = path
            self.query = query
            self.accept = accept
            self.contentType = contentType
            self.body = body
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
        case .resourceList(let g, let v):
            guard let doc = Discovery.resourceList(group: g, version: v, catalog) else { throw Self.notFoundPath }
            return .json(status: 200, body: doc)
        default:
            throw Self.notFoundPath
        }
    }

    // MARK: Resources

    private func resource(_ r: APIPath.ResourceRequest, _ request: Request) async throws(WorldError) -> KubeResponse {
        guard let type = cluster.resources.named(r.plural, group: r.group), type.version == r.version else {
            throw Self.notFoundPath
        }
        if r.namespace != nil, !type.namespaced { throw Self.notFoundPath }
        let dryRun = request.query["dryRun"] == "All"
        if let sub = r.subresource {
            guard let name = r.name else { throw Self.notFoundPath }
            let key = ObjectKey(type, namespace: r.namespace ?? "", name: name)
            switch sub {
            case "status" where request.method == "GET":
                return try object(key, request)
            case "scale" where type == .deployments || type == .replicaSets:
                return try await scale(key, request)
            case "log" where type == .pods && request.method == "GET":
                return try log(key, request)
            default:
                throw Self.notFoundPath
            }
        }
        switch (request.method, r.name) {
        case ("GET", nil):
            if let w = request.query["watch"], w == "true" || w == "1" { return try watch(type, namespace: r.namespace, request) }
            return try list(type, namespace: r.namespace, request)
        case ("GET", let name?):
            if let w = request.query["watch"], w == "true" || w == "1" {
                var q = request
                q.query["fieldSelector"] = "metadata.name=\(name)"
                return try watch(type, namespace: r.namespace, q)
            }
            return try object(ObjectKey(type, namespace: r.namespace ?? "", name: name), request)
        case ("POST", nil):
            var obj = try KubeObject(json: try Self.objectBody(request, type), resource: type)
            if type.namespaced {
                let ns = r.namespace ?? "default"
                if !obj.namespace.isEmpty, obj.namespace != ns {
                    throw .badRequest("the namespace of the provided object does not match the namespace sent on the request")
                }
                obj.metadata.namespace = ns
            }
            let created = try await cluster.create(obj, dryRun: dryRun)
            return .json(status: 201, body: created.json)
        case ("PUT", let name?):
            var obj = try KubeObject(json: try Self.objectBody(request, type), resource: type)
            if obj.name != name {
                throw .badRequest("the name of the object (\(obj.name)) does not match the name on the URL (\(name))")
            }
            if type.namespaced { obj.metadata.namespace = r.namespace ?? "default" }
            let updated = try await cluster.update(obj, dryRun: dryRun)
            return .json(status: 200, body: updated.json)
        case ("PATCH", let name?):
            let key = ObjectKey(type, namespace: r.namespace ?? "", name: name)
            let patchType = try Self.patchType(request.contentType)
            let patch = try JSONBody.decode(request.body)
            let patched = try await cluster.patch(key, patch: patch, type: patchType, dryRun: dryRun)
            return .json(status: 200, body: patched.json)
        case ("DELETE", let name?):
            let key = ObjectKey(type, namespace: r.namespace ?? "", name: name)
            let options = request.body.isEmpty ? JSONValue.object([:]) : try JSONBody.decode(request.body)
            let grace = options["gracePeriodSeconds"]?.intValue ?? request.query["gracePeriodSeconds"].flatMap { Int64($0) }
            // kubectl puts `dryRun` in the DeleteOptions body, not the query.
            let dryRunOption = options["dryRun"]?.arrayValue?.contains(.string("All")) ?? false
            let result = try await cluster.delete(key, gracePeriodSeconds: grace, dryRun: dryRun || dryRunOption)
            if result.isTerminating { return .json(status: 200, body: result.json) }
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
        let supported = "[application/json-patch+json application/merge-patch+json application/strategic-merge-patch+json]"
        if media == "application/apply-patch+yaml" {
            throw WorldError(.unsupportedMediaType, "xdsemu does not support server-side apply; use client-side `kubectl apply` (without --server-side)")
        }
        throw WorldError(.unsupportedMediaType, "the body of the request was in an unknown format - accepted media types include: \(supported)")
    }

    private func object(_ key: ObjectKey, _ request: Request) throws(WorldError) -> KubeResponse {
        let world = cluster.world
        guard let o = world.get(key) else { throw .notFound(key.resource, key.name) }
        if Self.wantsTable(request.accept) {
            let t = TableConverter(now: cluster.clock.now())
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

    private func list(_ type: ResourceType, namespace: String?, _ request: Request) throws(WorldError) -> KubeResponse {
        let (labels, fields) = try selectors(request)
        let world = cluster.world
        let items = world.list(type, namespace: namespace, labels: labels, fields: fields)
        if Self.wantsTable(request.accept) {
            let t = TableConverter(now: cluster.clock.now())
            return .json(status: 200, body: t.table(type, items, resourceVersion: world.resourceVersion, include: Self.include(request)))
        }
        return .json(
            status: 200,
            body: [
                "kind": .string("\(type.kind)List"), "apiVersion": .string(type.apiVersion),
                "metadata": ["resourceVersion": .string(String(world.resourceVersion))],
                "items": .array(items.map(\.json)),
            ])
    }

    // MARK: Watch

    private func watch(_ type: ResourceType, namespace: String?, _ request: Request) throws(WorldError) -> KubeResponse {
        let (labels, fields) = try selectors(request)
        let asTable = Self.wantsTable(request.accept)
        let include = Self.include(request)
        let rvParam = request.query["resourceVersion"] ?? ""
        let timeout = request.query["timeoutSeconds"].flatMap { Int64($0) }
        let matches: @Sendable (KubeObject) -> Bool = { o in
            o.resource == type && (namespace == nil || o.namespace == namespace) && labels.matches(o.labels)
                && (fields?.matches(o) ?? true)
        }
        // "" and "0" mean "start from now, with the current state as ADDED events first".
        let initial: [KubeObject]
        let events: AsyncStream<WorldEvent>
        if rvParam.isEmpty || rvParam == "0" {
            let world = cluster.world
            initial = world.list(type, namespace: namespace).filter(matches)
            events = try cluster.events(after: world.resourceVersion)
        } else {
            guard let rv = UInt64(rvParam) else {
                throw .badRequest("invalid resource version: \(rvParam)")
            }
            initial = []
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
        let stream = AsyncStream<JSONValue> { continuation in
            let task = Task {
                var first = true
                func encode(_ type: String, _ o: KubeObject) -> JSONValue {
                    guard asTable else { return ["type": .string(type), "object": o.json] }
                    let t = TableConverter(now: cluster.clock.now())
                    // Column definitions go with the first event only, as the API server does.
                    defer { first = false }
                    return ["type": .string(type), "object": t.table(o.resource, [o], resourceVersion: o.metadata.resourceVersion, include: include, headers: first)]
                }
                for o in initial { continuation.yield(encode("ADDED", o)) }
                for await e in events where matches(e.object) {
                    continuation.yield(encode(e.type.rawValue, e.object))
                }
                continuation.finish()
            }
            var timer: Task<Void, Never>?
            if let timeout, timeout > 0 {
                timer = Task {
                    try? await Task.sleep(for: .seconds(timeout))
                    task.cancel()
                    continuation.finish()
                }
            }
            continuation.onTermination = { [timer] _ in
                task.cancel()
                timer?.cancel()
            }
        }
        return .watch(stream)
    }

    // MARK: Scale subresource (kubectl scale)

    private func scale(_ key: ObjectKey, _ request: Request) async throws(WorldError) -> KubeResponse {
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
            let o = try await cluster.patch(key, patch: ["spec": ["replicas": .int(replicas)]], type: .merge)
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
