import Foundation
import JSON

/// One admin request, answered from a sidecar's snapshot the way Envoy's admin answers it:
/// `clusters?format=json`, `config_dump[?include_eds]`, `server_info`. Independent of HTTP, so
/// the server, tests and in-process callers share it.
package struct AdminResponse: Equatable, Sendable {
    package var status: Int
    package var contentType: String
    package var body: String

    package init(status: Int, contentType: String, body: String) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    static func json(_ value: JSONValue) -> AdminResponse {
        AdminResponse(status: 200, contentType: "application/json", body: value.envoyAdminJSON)
    }

    static func text(_ status: Int, _ body: String) -> AdminResponse {
        AdminResponse(status: status, contentType: "text/plain; charset=UTF-8", body: body)
    }
}

package enum AdminEndpoint {
    /// The commands served, for the "invalid path" answer (Envoy lists its commands there too).
    static let commands = [
        ("/clusters", "upstream cluster status (format=json)"),
        ("/config_dump", "dump current Envoy configs (include_eds adds endpoints)"),
        ("/server_info", "print server version/status information"),
    ]

    /// Answers `command` (the path after the sidecar's admin root, e.g. `/clusters`) with its
    /// query items, from `snapshot`.
    package static func respond(command: String, query: [String: String], snapshot: SidecarSnapshot) -> AdminResponse {
        switch command {
        case "/clusters":
            guard query["format"] == "json" else {
                return .text(200, AdminView.clustersText(snapshot))
            }
            return .json(AdminView.clusters(snapshot))
        case "/config_dump":
            return .json(AdminView.configDump(snapshot, includeEndpoints: query["include_eds"] != nil))
        case "/server_info":
            return .json(AdminView.serverInfo(snapshot))
        default:
            let list = commands.map { "  \($0.0): \($0.1)" }.joined(separator: "\n")
            return .text(404, "invalid path. admin commands are:\n\(list)\n")
        }
    }

    /// Splits `a=b&c` into items; `c` maps to "" (Envoy treats a bare `include_eds` as set).
    package static func queryItems(_ query: String) -> [String: String] {
        var items: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0]).removingPercentEncoding ?? String(parts[0])
            let value = parts.count > 1 ? (String(parts[1]).removingPercentEncoding ?? String(parts[1])) : ""
            if items[key] == nil { items[key] = value }
        }
        return items
    }
}

extension Sidecar {
    /// This sidecar's admin answer for `path` (`/clusters?format=json`, `/config_dump`, …), without HTTP.
    package func admin(_ path: String) -> AdminResponse {
        let parts = path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        let query = parts.count > 1 ? AdminEndpoint.queryItems(String(parts[1])) : [:]
        return AdminEndpoint.respond(command: String(parts[0]), query: query, snapshot: snapshot())
    }
}
