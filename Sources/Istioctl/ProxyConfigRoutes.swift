import JSON
import Istio

/// `proxy-config routes` (`route`, `r`): the route configurations of a proxy's `/config_dump`, as
/// `istioctl/pkg/writer/envoy/configdump/route.go@1.20.0` prints them (`--verbose`, the default
/// from 1.7: a row per route, passthrough routes left out, `404` for a host without routes; the
/// `VHOST NAME` column from 1.18; before 1.7 `NAME  VIRTUAL HOSTS`).
struct ProxyConfigRoutes {
    var target: ProxyConfigTarget
    var name = ""

    /// Flags of `istioctl/pkg/proxyconfig/proxyconfig.go@1.20.0` (`routeConfigCmd`).
    static func command() -> CobraCommand {
        CobraCommand(
            "route", aliases: ["routes", "r"],
            short: "Retrieves route configuration for the Envoy in the specified pod",
            long: "Retrieve information about route configuration for the Envoy instance in the specified pod.",
            persistentFlags: [CobraFlag("name", "Filter listeners by route name field")],
            run: { invocation in
                try ProxyConfigCommand.requirePod(invocation)
                try await ProxyConfigRoutes(target: ProxyConfigTarget(invocation), name: invocation.flags.string("name")).run()
            })
    }

    func run() async throws {
        try target.checkOutput(["short", "json"])
        let routes = RouteTable.routes(in: try await target.admin("/config_dump")).filter {
            name.isEmpty || $0["name"]?.stringValue == name
        }
        if target.output == "json" {
            Console.out(JSONValue.array(routes.map { $0.removing(["@type"]).camelCased() }).goIndentedJSON())
            return
        }
        Console.out(RouteTable.format(routes, version: IstioctlEnvironment.current.version))
    }
}

/// The pieces of `route.go` the table is made of.
enum RouteTable {
    static let passthrough = "PassthroughCluster"

    /// Dynamic then static route configurations, ordered as `retrieveSortedRouteSlice` leaves them:
    /// numeric names ascending, insertion-sorted (Go's `sort.Slice` on so few elements) with a
    /// comparison that is false whenever a name is not a number.
    static func routes(in dump: JSONValue) -> [JSONValue] {
        let section = dump["configs"]?.arrayValue?.first { ($0["@type"]?.stringValue ?? "").hasSuffix(".RoutesConfigDump") }
        var routes = (section?["dynamic_route_configs"]?.arrayValue ?? []).compactMap { $0["route_config"] }
        routes += (section?["static_route_configs"]?.arrayValue ?? []).compactMap { $0["route_config"] }
        let less = { (a: JSONValue, b: JSONValue) -> Bool in
            guard let x = Int(a["name"]?.stringValue ?? ""), let y = Int(b["name"]?.stringValue ?? "") else { return false }
            return x < y
        }
        for i in routes.indices.dropFirst() {
            var j = i
            while j > 0 && less(routes[j], routes[j - 1]) {
                routes.swapAt(j, j - 1)
                j -= 1
            }
        }
        return routes
    }

    static func format(_ routes: [JSONValue], version: IstioVersion) -> String {
        guard version.has(.routeMatchColumns) else {
            let rows = routes.map { [$0["name"]?.stringValue ?? "", String($0["virtual_hosts"]?.arrayValue?.count ?? 0)] }
            return TabWriter.format([["NAME", "VIRTUAL HOSTS"]] + rows, padding: 5)
        }
        let vhostColumn = version.has(.routeVirtualHostColumn)
        var rows = [["NAME"] + (vhostColumn ? ["VHOST NAME"] : []) + ["DOMAINS", "MATCH", "VIRTUAL SERVICE"]]
        for route in routes {
            let name = route["name"]?.stringValue ?? ""
            for host in route["virtual_hosts"]?.arrayValue ?? [] {
                let lead = [name] + (vhostColumn ? [host["name"]?.stringValue ?? ""] : [])
                let domains = describeDomains((host["domains"]?.arrayValue ?? []).compactMap(\.stringValue))
                let hostRoutes = host["routes"]?.arrayValue ?? []
                for r in hostRoutes where r["route"]?["cluster"]?.stringValue != passthrough {
                    rows.append(lead + [domains, describeMatch(r["match"]), ""])
                }
                if hostRoutes.isEmpty { rows.append(lead + [domains, "/*", "404"]) }
            }
        }
        return TabWriter.format(rows, padding: 5)
    }

    /// `describeRouteDomains`: one domain as is; else the ones without a port, long forms dropped
    /// where a short one exists, at most two and a count.
    static func describeDomains(_ domains: [String]) -> String {
        if domains.count <= 1 { return domains.first ?? "" }
        var withoutPort = domains.filter { d in
            let colons = d.filter { $0 == ":" }.count
            return colons == 0 || (colons > 2 && d.hasSuffix("]"))
        }
        let unique = Set(withoutPort)
        withoutPort = withoutPort.filter { h in
            let full = h.hasSuffix(".svc.cluster.local") ? String(h.dropLast(".svc.cluster.local".count)) : h
            let partial = h.hasSuffix(".svc") ? String(h.dropLast(".svc".count)) : h
            return !((full != h && unique.contains(full)) || (partial != h && unique.contains(partial)))
        }
        if withoutPort.count > 2 { return withoutPort.prefix(2).joined(separator: ", ") + " + \(withoutPort.count - 2) more..." }
        return withoutPort.joined(separator: ", ")
    }

    /// `describeMatch`: `PREFIX*`, a path, or `regex R`.
    static func describeMatch(_ match: JSONValue?) -> String {
        var parts: [String] = []
        if let prefix = match?["prefix"]?.stringValue, !prefix.isEmpty { parts.append("\(prefix)*") }
        if let path = match?["path"]?.stringValue, !path.isEmpty { parts.append(path) }
        if let regex = match?["safe_regex"]?["regex"]?.stringValue { parts.append("regex \(regex)") }
        return parts.joined(separator: " ")
    }
}
