import Hummingbird
import JSON

/// What every request must pass before the router sees it, the emulator's own endpoints
/// included: the token `xdsemu up` wrote into its kubeconfig (401 without it, as the API server
/// answers an unauthenticated request), and no `Origin` header (403). kubectl and istioctl never
/// send an `Origin`; a browser always does on a cross-origin request, so a page the user visits
/// cannot drive the cluster even if it guessed the port.
///
/// The token is accepted two ways. `Authorization: Bearer <token>` is what istioctl, scripts and
/// tests send. kubectl sends a kubeconfig user's credentials only to an `https` server (client-go
/// drops them for plain HTTP), so the kubeconfig's server URL carries the token as a path prefix,
/// `http://127.0.0.1:PORT/token/<token>`: client-go puts that prefix before every path, and it is
/// taken off here before routing.
struct RequestGuard<Wrapped: HTTPResponder>: HTTPResponder {
    let wrapped: Wrapped
    /// nil: no authentication (unit tests that build the server alone).
    let token: String?

    static var pathPrefix: String { "/token/" }

    static var unauthorized: Response {
        jsonResponse(
            status: 401,
            KubeStatus.failure(
                code: 401, reason: "Unauthorized",
                message: "Unauthorized: use the kubeconfig xdsemu wrote (its token, new at each start, as Authorization: Bearer <token>)"))
    }

    static var crossOrigin: Response {
        jsonResponse(
            status: 403,
            KubeStatus.failure(
                code: 403, reason: "Forbidden",
                message: "forbidden: requests with an Origin header are refused; the API serves kubectl and istioctl, not browsers"))
    }

    func respond(to request: Request, context: Wrapped.Context) async throws -> Response {
        var request = request
        if let token {
            if let unprefixed = Self.strippingToken(request, token) {
                request = unprefixed
            } else if !Self.equal(Self.bearer(request.headers[.authorization]), token) {
                return Self.unauthorized
            }
        }
        if request.headers[.origin] != nil { return Self.crossOrigin }
        return try await wrapped.respond(to: request, context: context)
    }

    /// The request with its `/token/<token>` prefix taken off, or nil when it has none.
    static func strippingToken(_ request: Request, _ token: String) -> Request? {
        let path = request.head.path ?? ""
        guard path.hasPrefix(pathPrefix) else { return nil }
        let rest = path.dropFirst(pathPrefix.count)
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        guard equal(String(rest[..<end]), token) else { return nil }
        var head = request.head
        let remainder = String(rest[end...])
        head.path = remainder.hasPrefix("/") ? remainder : "/" + remainder
        return Request(head: head, body: request.body)
    }

    static func bearer(_ header: String?) -> String? {
        guard let header, header.hasPrefix("Bearer ") else { return nil }
        return String(header.dropFirst("Bearer ".count))
    }

    /// Compared in time independent of where the first difference is.
    static func equal(_ sent: String?, _ token: String) -> Bool {
        guard let sent else { return false }
        let a = Array(sent.utf8), b = Array(token.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

/// A JSON document as an HTTP response, the way every API answer is written.
func jsonResponse(status: Int, _ json: JSONValue) -> Response {
    var headers = HTTPFields()
    headers[.contentType] = "application/json"
    return Response(
        status: HTTPResponse.Status(code: status), headers: headers,
        body: ResponseBody(byteBuffer: ByteBuffer(string: json.canonicalJSON + "\n")))
}
