import EmulatorAPI
import Foundation
import JSON
import Kubernetes
import Istio

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A small client of the Kubernetes REST API, the one channel between istioctl and a running
/// emulator (as between a real istioctl and its cluster): JSON objects over plain HTTP on loopback,
/// each request carrying the kubeconfig user's bearer token.
struct KubeClient: Sendable {
    let server: URL
    /// The kubeconfig user's `token`; nil sends no `Authorization` (the emulator then answers 401).
    var token: String? = nil

    struct Failure: Error, CustomStringConvertible {
        var status: Int
        var message: String
        var reason: String
        var description: String { message }
    }

    static func path(_ resource: ResourceType, namespace: String?, name: String? = nil) -> String {
        var p = resource.group.isEmpty ? "/api/\(resource.version)" : "/apis/\(resource.group)/\(resource.version)"
        if resource.namespaced, let namespace { p += "/namespaces/\(namespace)" }
        p += "/\(resource.plural)"
        if let name { p += "/\(name)" }
        return p
    }

    func request(_ method: String, _ path: String, query: [String: String] = [:], body: JSONValue? = nil,
                 contentType: String = "application/json", timeout: TimeInterval = 30) async throws -> JSONValue {
        let data = try await send(method, path, query: query, body: body, contentType: contentType, timeout: timeout)
        return (try? JSONValue(parsing: [UInt8](data))) ?? .null
    }

    /// One request; a status outside 2xx throws its Kubernetes `Status` as a `Failure`.
    private func send(_ method: String, _ path: String, query: [String: String], body: JSONValue?,
                      contentType: String, timeout: TimeInterval) async throws -> Data {
        var components = URLComponents(url: server.appendingPathComponent(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) } }
        var request = URLRequest(url: components.url!, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        authorise(&request)
        if let body {
            request.setValue(contentType, forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(body.canonicalJSON.utf8)
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            let json = (try? JSONValue(parsing: [UInt8](data))) ?? .null
            throw Failure(
                status: status, message: json["message"]?.stringValue ?? "HTTP \(status)",
                reason: json["reason"]?.stringValue ?? "")
        }
        return data
    }

    /// Adds the bearer token, on requests to this client's server only.
    func authorise(_ request: inout URLRequest) {
        guard let token, let url = request.url, url.host == server.host, url.port == server.port else { return }
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
    }

    /// One of the emulator's own lists (`GET /xdsemu/v1/istiods`, …), decoded into the types
    /// the emulator serves.
    func emulatorList<Item: EmulatorListItem>(_: Item.Type) async throws -> [Item] {
        let data = try await send("GET", Item.path, query: [:], body: nil, contentType: "application/json", timeout: 30)
        return try JSONDecoder().decode(EmulatorList<Item>.self, from: data).items
    }

    func get(_ resource: ResourceType, namespace: String? = nil, _ name: String) async throws -> KubeObject? {
        do {
            let json = try await request("GET", Self.path(resource, namespace: namespace, name: name))
            return try KubeObject(json: json, resource: resource)
        } catch let f as Failure where f.status == 404 {
            return nil
        }
    }

    func list(_ resource: ResourceType, namespace: String? = nil, labelSelector: String = "") async throws -> [KubeObject] {
        let json = try await request(
            "GET", Self.path(resource, namespace: namespace), query: labelSelector.isEmpty ? [:] : ["labelSelector": labelSelector])
        return try (json["items"]?.arrayValue ?? []).map { try KubeObject(json: $0, resource: resource) }
    }

    @discardableResult
    func create(_ object: KubeObject) async throws -> KubeObject {
        let json = try await request("POST", Self.path(object.resource, namespace: object.namespace), body: object.json)
        return try KubeObject(json: json, resource: object.resource)
    }

    @discardableResult
    func update(_ object: KubeObject) async throws -> KubeObject {
        let json = try await request("PUT", Self.path(object.resource, namespace: object.namespace, name: object.name), body: object.json)
        return try KubeObject(json: json, resource: object.resource)
    }

    /// Creates `object`, or replaces the stored one's labels, annotations and content (what the
    /// operator's apply amounts to for objects it owns).
    @discardableResult
    func apply(_ object: KubeObject) async throws -> KubeObject {
        guard var existing = try await get(object.resource, namespace: object.namespace, object.name) else {
            return try await create(object)
        }
        existing.metadata.labels = object.labels
        // Annotations others keep (a Deployment's `deployment.kubernetes.io/revision`) stay.
        existing.metadata.annotations.merge(object.metadata.annotations) { _, new in new }
        let status = existing.body["status"]
        let live = existing.body["webhooks"]?.arrayValue ?? []
        existing.body = object.body
        if let status { existing.body["status"] = status }
        if let hooks = object.body["webhooks"]?.arrayValue {
            // What istiod manages at run time (a webhook's caBundle and failurePolicy) keeps its
            // live value: the operator's three-way apply leaves fields its manifest did not change.
            existing.body["webhooks"] = .array(
                hooks.map { hook in
                    guard let current = live.first(where: { $0["name"] == hook["name"] }) else { return hook }
                    var h = hook
                    h["failurePolicy"] = current["failurePolicy"] ?? hook["failurePolicy"]
                    h["clientConfig"]?["caBundle"] = current["clientConfig"]?["caBundle"] ?? hook["clientConfig"]?["caBundle"]
                    return h
                })
        }
        return try await update(existing)
    }

    func delete(_ object: KubeObject) async throws {
        _ = try await request("DELETE", Self.path(object.resource, namespace: object.namespace, name: object.name))
    }

    /// `GET /version`: the server's identity, to tell an xdsemu from anything else.
    func version(timeout: TimeInterval) async throws -> JSONValue {
        try await request("GET", "/version", timeout: timeout)
    }
}

extension KubeClient {
    /// The emulator's live istiods: where istioctl would port-forward to istiod pods, it asks the
    /// emulator for their loopback xDS addresses.
    func liveIstiods() async throws -> [IstiodStatus] {
        try await emulatorList(IstiodStatus.self)
    }
}
