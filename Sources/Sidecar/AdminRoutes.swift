import EmulatorAPI
import Synchronization

/// The admin views of every simulated sidecar, as endpoints of the emulator's one HTTP server:
/// each pod's Envoy admin (`:15000` in a real pod) lives under its own root,
/// `/pods/NAMESPACE/POD`, so a caller appends Envoy's paths to ``baseURL(namespace:pod:)``
/// exactly as it would to a real Envoy's admin address (`…/clusters?format=json`,
/// `…/config_dump`, `…/server_info`).
///
/// Why roots on one server and not a listener per sidecar: a world has hundreds of pods and
/// restarts churn them; one listener means one port to find, no port allocation per pod start,
/// and nothing to leak when a pod stops. Per-pod roots keep each sidecar's view separate, and a
/// real Envoy is simply another base URL.
///
/// Whoever serves ``endpoints`` says where with ``serve(at:)``. Thread-safe; registration never
/// blocks.
package final class AdminRoutes: Sendable {
    private let sidecars = Mutex<[String: Sidecar]>([:])
    private let origin = Mutex("http://127.0.0.1:0")

    package init() {}

    /// The routes to mount on the server: `GET /pods/NAMESPACE/POD/COMMAND`.
    package var endpoints: [EmulatorEndpoint] {
        [EmulatorEndpoint(path: "/pods/**") { [self] request in respond(path: request.path, query: request.query) }]
    }

    /// Where ``endpoints`` are served (`http://127.0.0.1:PORT`), for ``baseURL(namespace:pod:)``.
    package func serve(at origin: String) {
        self.origin.withLock { $0 = origin }
    }

    /// Serves `sidecar`'s admin under its pod's root (replacing a previous sidecar of that pod).
    package func register(_ sidecar: Sidecar) {
        let pod = sidecar.bootstrap.pod
        sidecars.withLock { $0["\(pod.namespace)/\(pod.name)"] = sidecar }
    }

    /// Stops serving a pod's admin (its pod terminated).
    package func unregister(namespace: String, pod: String) {
        _ = sidecars.withLock { $0.removeValue(forKey: "\(namespace)/\(pod)") }
    }

    /// `http://127.0.0.1:PORT/pods/NAMESPACE/POD`: the pod's admin root, like `localhost:15000`.
    package func baseURL(namespace: String, pod: String) -> String {
        origin.withLock { $0 } + Self.root(namespace: namespace, pod: pod)
    }

    static func root(namespace: String, pod: String) -> String { "/pods/\(namespace)/\(pod)" }

    /// Routes `/pods/NS/POD/COMMAND` to that pod's sidecar.
    func respond(path: String, query: String) -> EndpointResponse {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count >= 3, parts[0] == "pods" else {
            return AdminResponse.text(404, "sidecar admin roots are /pods/NAMESPACE/POD/\n").endpointResponse
        }
        let key = "\(parts[1])/\(parts[2])"
        guard let sidecar = sidecars.withLock({ $0[key] }) else {
            return AdminResponse.text(404, "no sidecar for pod \(key)\n").endpointResponse
        }
        let command = "/" + parts.dropFirst(3).joined(separator: "/")
        return AdminEndpoint.respond(command: command, query: AdminEndpoint.queryItems(query), snapshot: sidecar.snapshot())
            .endpointResponse
    }
}

extension AdminResponse {
    var endpointResponse: EndpointResponse { .text(body, contentType: contentType, status: status) }
}
