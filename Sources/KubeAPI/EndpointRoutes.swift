import EmulatorAPI
import Hummingbird

extension Router {
    /// Mounts the emulator's own endpoints as routes: the one way anything is served next to
    /// the Kubernetes API (`/xdsemu/v1/…`, `/metrics`, the sidecars' `/pods/…` admin roots).
    /// Also what a test mounts on a router of its own to serve a few endpoints alone.
    @discardableResult
    package func add(_ endpoints: [EmulatorEndpoint]) -> Self {
        for endpoint in endpoints {
            guard let method = HTTPRequest.Method(endpoint.method) else { continue }
            on(RouterPath(endpoint.path), method: method) { request, _ -> Response in
                let answer = await endpoint.respond(EndpointRequest(path: request.uri.path, query: request.uri.query ?? ""))
                var headers = HTTPFields()
                headers[.contentType] = answer.contentType
                return Response(
                    status: HTTPResponse.Status(code: answer.status), headers: headers,
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body)))
            }
        }
        return self
    }
}

/// Hands every request no route claims to `answer`: on the emulator's server, the Kubernetes
/// API owns every path the emulator's own endpoints do not. Added after the routes, it wraps
/// only the router's not-found answer, so an unknown path (`/xdsemu/v1/nope`) or method (`POST
/// /metrics`) gets the API server's `Status` as before.
struct FallbackMiddleware<Context: RequestContext>: RouterMiddleware {
    let answer: @Sendable (Request) async throws -> Response

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return try await answer(request)
        }
    }
}
