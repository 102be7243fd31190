import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// One HTTP server on 127.0.0.1 for the admin views of every sidecar: each pod's Envoy admin
/// (`:15000` in a real pod) lives under its own root, `/pods/NAMESPACE/POD`, so a caller appends
/// Envoy's paths to ``baseURL(namespace:pod:)`` exactly as it would to a real Envoy's admin
/// address (`…/clusters?format=json`, `…/config_dump`, `…/server_info`).
///
/// Why one server and not one per sidecar: a world has hundreds of pods and restarts churn them;
/// one listener means one port to find, no port allocation per pod start, and nothing to leak
/// when a pod stops. Per-pod roots keep each sidecar's view separate, and a real Envoy is simply
/// another base URL.
///
/// Lifecycle: ``start(port:)`` binds and returns once listening; ``stop()`` must be called.
/// Thread-safe; registration never blocks.
public final class AdminServer: Sendable {
    public let port: Int
    private let sidecars: Registry
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    private init(port: Int, sidecars: Registry, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.sidecars = sidecars
        self.group = group
        self.task = task
    }

    /// Binds 127.0.0.1:`port` (0 picks a free port) and starts serving.
    /// - Throws: ``AdminServerError`` when the server stops before listening (port taken).
    public static func start(port: Int = 0, logger: Logger? = nil) async throws(AdminServerError) -> AdminServer {
        let registry = Registry()
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let answer = registry.respond(path: request.uri.path, query: request.uri.query ?? "")
            var headers = HTTPFields()
            headers[.contentType] = answer.contentType
            return Response(
                status: HTTPResponse.Status(code: answer.status), headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(string: answer.body)))
        }
        var log = logger ?? Logger(label: "xdsemu.sidecar-admin")
        if logger == nil { log.logLevel = .warning }
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? port)
                portSink.finish()
            },
            logger: log)
        // A service group so `stop()` is a graceful shutdown (cancelling logs errors in Hummingbird).
        let group = ServiceGroup(configuration: .init(services: [app], logger: log))
        let task = Task {
            // If binding fails, end the wait below instead of hanging.
            defer { portSink.finish() }
            try await group.run()
        }
        var bound: Int?
        for await p in ports {
            bound = p
            break
        }
        guard let bound else {
            let reason: String
            do {
                try await task.value
                reason = "stopped before listening"
            } catch {
                reason = "\(error)"
            }
            throw AdminServerError(message: "cannot serve sidecar admin on 127.0.0.1:\(port): \(reason)")
        }
        return AdminServer(port: bound, sidecars: registry, group: group, task: task)
    }

    /// Stops listening and ends open connections.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = try? await task.value
    }

    /// Serves `sidecar`'s admin under its pod's root (replacing a previous sidecar of that pod).
    public func register(_ sidecar: Sidecar) {
        let pod = sidecar.bootstrap.pod
        sidecars.set(sidecar, namespace: pod.namespace, pod: pod.name)
    }

    /// Stops serving a pod's admin (its pod terminated).
    public func unregister(namespace: String, pod: String) {
        sidecars.set(nil, namespace: namespace, pod: pod)
    }

    /// `http://127.0.0.1:PORT/pods/NAMESPACE/POD`: the pod's admin root, like `localhost:15000`.
    public func baseURL(namespace: String, pod: String) -> String {
        "http://127.0.0.1:\(port)\(Self.root(namespace: namespace, pod: pod))"
    }

    static func root(namespace: String, pod: String) -> String { "/pods/\(namespace)/\(pod)" }

    /// The pods' sidecars by `namespace/pod`.
    final class Registry: Sendable {
        private let entries = Mutex<[String: Sidecar]>([:])

        func set(_ sidecar: Sidecar?, namespace: String, pod: String) {
            entries.withLock { $0["\(namespace)/\(pod)"] = sidecar }
        }

        /// Routes `/pods/NS/POD/COMMAND` to that pod's sidecar.
        func respond(path: String, query: String) -> AdminResponse {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            guard parts.count >= 3, parts[0] == "pods" else {
                return AdminResponse(
                    status: 404, contentType: "text/plain; charset=UTF-8",
                    body: "sidecar admin roots are /pods/NAMESPACE/POD/\n")
            }
            let key = "\(parts[1])/\(parts[2])"
            guard let sidecar = entries.withLock({ $0[key] }) else {
                return AdminResponse(
                    status: 404, contentType: "text/plain; charset=UTF-8", body: "no sidecar for pod \(key)\n")
            }
            let command = "/" + parts.dropFirst(3).joined(separator: "/")
            return AdminEndpoint.respond(
                command: command, query: AdminEndpoint.queryItems(query), snapshot: sidecar.snapshot())
        }
    }
}

/// The admin server could not start.
public struct AdminServerError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
