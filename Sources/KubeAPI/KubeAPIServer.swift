import EmulatorAPI
import Hummingbird
import Logging
import ServiceLifecycle
import JSON
import Kubernetes
import KubeRuntime

/// The HTTP side of the facade: a Hummingbird server on 127.0.0.1 whose router serves the
/// emulator's own endpoints and hands every other request to `KubeAPIHandler`, writing its
/// answer (JSON, or a chunked watch stream of JSON lines).
/// It is a ServiceLifecycle `Service`; run it in a `ServiceGroup`.
package enum KubeAPIServer {
    /// The server URL a kubeconfig names for `token` (see `RequestGuard`).
    package static func kubeconfigServer(port: Int, token: String) -> String {
        "http://127.0.0.1:\(port)/token/\(token)"
    }

    /// The API server's limit on a request body (3 MiB); a larger one is refused with 413
    /// before more than this is read.
    package static let maxBodyBytes = 3 << 20

    /// Builds the server. `port` 0 picks a free port; `onListening` receives the bound port
    /// once the socket is listening.
    ///
    /// `heartbeat`: how often an idle watch writes a space (whitespace between JSON objects,
    /// which kubectl's decoder skips; not a newline, which the Python client's watch turns into
    /// a `None` event). The server binds with remote half-closure enabled, so a
    /// client that went away is noticed only when a write fails; the heartbeat makes that happen
    /// and frees the watch's subscription.
    ///
    /// `extraRoutes`: the emulator's own endpoints, routes on the same router; every request none
    /// of them claims is the Kubernetes API's.
    ///
    /// `token`: what every request must carry (`RequestGuard`), the emulator's own endpoints'
    /// too; nil serves without authentication (unit tests only: `Emulator` always sets one).
    package static func make(
        cluster: LiveWorld, port: Int = 0, logger: Logger? = nil, heartbeat: Duration = .seconds(5),
        token: String?, extraRoutes: [EmulatorEndpoint] = [], logs: ContainerLogs? = nil,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some Service {
        // Read now: a first table request could come when no file can be opened (out of
        // descriptors), and the bundle lookup then traps.
        _ = TableConverter.columnsByKind
        let address = AddressBox()
        let router = Router()
        router.add(extraRoutes)
        router.add(middleware: FallbackMiddleware<BasicRequestContext> { request in
            var request = request
            let body: ByteBuffer
            do {
                body = try await request.collectBody(upTo: maxBodyBytes)
            } catch let error as HTTPResponseError where error.status == .contentTooLarge {
                return jsonResponse(status: 413, KubeStatus.failure(
                    code: 413, reason: "RequestEntityTooLarge", message: "Request entity too large: limit is \(maxBodyBytes)"))
            }
            let query = formDecoded(request.uri.query ?? "")
            let handler = KubeAPIHandler(cluster: cluster, serverAddress: address.value, logs: logs)
            let answer = await handler.respond(
                KubeAPIHandler.Request(
                    method: request.method.rawValue, path: request.uri.path, query: query,
                    accept: request.headers[.accept] ?? "application/json",
                    contentType: request.headers[.contentType] ?? "",
                    body: Array(body.readableBytesView), userAgent: request.headers[.userAgent] ?? ""))
            switch answer {
            case .json(let status, let json):
                return jsonResponse(status: status, json)
            case .watch(let events):
                return chunkedResponse(contentType: "application/json", withHeartbeat(events, every: heartbeat))
            case .text(let lines):
                return chunkedResponse(contentType: "text/plain", lines)
            case .bytes(let status, let contentType, let body):
                var headers = HTTPFields()
                headers[.contentType] = contentType
                return Response(
                    status: HTTPResponse.Status(code: status), headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
            }
        })
        var log = logger ?? Logger(label: "xdsemu.kubeapi")
        if logger == nil { log.logLevel = .warning }
        return Application(
            responder: RequestGuard(wrapped: router.buildResponder(), token: token),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                address.set("127.0.0.1:\(bound)")
                await onListening(bound)
            },
            logger: log)
    }
}

import Foundation
import Synchronization

/// Parses a query string as Go's `url.ParseQuery` does: `+` is a space (kubectl encodes the
/// spaces of `-l 'app in (a,b)'` that way), then percent-escapes are decoded.
func formDecoded(_ query: String) -> [String: String] {
    var out: [String: String] = [:]
    for pair in query.split(separator: "&") {
        let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        func decode(_ s: Substring) -> String {
            let spaced = s.replacingOccurrences(of: "+", with: " ")
            return spaced.removingPercentEncoding ?? spaced
        }
        let key = decode(parts[0])
        if out[key] == nil { out[key] = parts.count > 1 ? decode(parts[1]) : "" }
    }
    return out
}

/// The watch's events as lines, with a space whenever `interval` passes quietly. Ending
/// the iteration (the client went away and a write threw) cancels both producers, which ends the
/// watch's subscription to the cluster.
func withHeartbeat(_ events: AsyncStream<JSONValue>, every interval: Duration) -> AsyncStream<String> {
    AsyncStream { continuation in
        let forward = Task {
            for await event in events { continuation.yield(event.canonicalJSON + "\n") }
            continuation.finish()
        }
        let beat = Task {
            while !Task.isCancelled {
                do { try await Task.sleep(for: interval) } catch { return }
                continuation.yield(" ")
            }
        }
        continuation.onTermination = { _ in
            forward.cancel()
            beat.cancel()
        }
    }
}

/// The bound address, known only once the server runs; read by every request.
final class AddressBox: Sendable {
    private let m = Mutex("127.0.0.1")
    var value: String { m.withLock { $0 } }
    func set(_ v: String) { m.withLock { $0 = v } }
}
