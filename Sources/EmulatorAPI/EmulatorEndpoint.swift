import Foundation

/// One of the emulator's own HTTP endpoints, served next to the Kubernetes API on the same
/// server: `/xdsemu/v1/…` (what istioctl asks where a real one would exec into pods or
/// port-forward to istiod), `/metrics` (istiod's monitoring port), and each simulated sidecar's
/// admin under `/pods/NAMESPACE/POD/…` (Envoy's `:15000`). Independent of HTTP plumbing, so the
/// module that knows what an endpoint means needs nothing but this one.
package struct EmulatorEndpoint: Sendable {
    /// `GET`, `POST`, …
    package var method: String
    /// A route pattern: literal components, with `**` matching the rest of the path
    /// (`/pods/**`).
    package var path: String
    package var respond: @Sendable (EndpointRequest) async -> EndpointResponse

    package init(method: String = "GET", path: String, respond: @escaping @Sendable (EndpointRequest) async -> EndpointResponse) {
        self.method = method
        self.path = path
        self.respond = respond
    }

    /// `GET Item.path`: the emulator list of `items()`, encoded as JSON.
    package static func list<Item: EmulatorListItem>(_ items: @escaping @Sendable () async -> [Item]) -> EmulatorEndpoint {
        EmulatorEndpoint(path: Item.path) { _ in .json(EmulatorList(await items())) }
    }

    /// `GET /metrics`: Prometheus text exposition 0.0.4, what istiod serves on its monitoring port.
    package static func metrics(_ text: @escaping @Sendable () async -> String) -> EmulatorEndpoint {
        EmulatorEndpoint(path: metricsPath) { _ in .text(await text(), contentType: prometheusContentType) }
    }

    package static let metricsPath = "/metrics"
    package static let prometheusContentType = "text/plain; version=0.0.4; charset=utf-8"
}

/// What an endpoint sees of its request.
package struct EndpointRequest: Sendable {
    /// The path as sent (`/pods/default/details-v1-x/clusters`), not decoded.
    package var path: String
    /// The raw query string (`format=json`), "" when none.
    package var query: String

    package init(path: String, query: String = "") {
        self.path = path
        self.query = query
    }
}

/// An endpoint's answer: a status, a content type and the bytes of the body.
package struct EndpointResponse: Sendable, Equatable {
    package var status: Int
    package var contentType: String
    package var body: [UInt8]

    package init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// A typed body as JSON: keys sorted and slashes unescaped, so the bytes are those of the
    /// loose JSON these endpoints served before they had types (a newline ends the document).
    package static func json(_ value: some Encodable, status: Int = 200) -> EndpointResponse {
        do {
            return EndpointResponse(
                status: status, contentType: "application/json", body: Array(try Self.encoder().encode(value)) + [0x0A])
        } catch {
            return .text("cannot encode the response: \(error)\n", contentType: "text/plain; charset=utf-8", status: 500)
        }
    }

    /// How the server writes typed bodies; the client reads them with a plain `JSONDecoder`.
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    package static func text(_ text: String, contentType: String, status: Int = 200) -> EndpointResponse {
        EndpointResponse(status: status, contentType: contentType, body: Array(text.utf8))
    }
}
