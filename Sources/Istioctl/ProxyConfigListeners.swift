import JSON
import Istio

/// `proxy-config listeners` (`listener`, `l`): the listeners of a proxy's `/config_dump`, as
/// `istioctl/pkg/writer/envoy/configdump/listener.go@1.20.0` prints them (`--verbose`, the
/// default from 1.7: one row per filter chain with its match and destination; before, one row per
/// listener with its type). The header is `ADDRESS` until 1.18 and `ADDRESSES` from 1.19.
struct ProxyConfigListeners {
    var target: ProxyConfigTarget
    var address = ""
    var port = 0
    var type = ""

    /// Flags of `istioctl/pkg/proxyconfig/proxyconfig.go@1.20.0` (`listenerConfigCmd`).
    static func command() -> CobraCommand {
        CobraCommand(
            "listener", aliases: ["listeners", "l"],
            short: "Retrieves listener configuration for the Envoy in the specified pod",
            long: "Retrieve information about listener configuration for the Envoy instance in the specified pod.",
            persistentFlags: [
                CobraFlag("address", "Filter listeners by address field"),
                CobraFlag("type", "Filter listeners by type field"),
                CobraFlag("port", nil, .int, "Filter listeners by Port field"),
            ],
            run: { invocation in
                try ProxyConfigCommand.requirePod(invocation)
                let f = invocation.flags
                try await ProxyConfigListeners(
                    target: ProxyConfigTarget(invocation), address: f.string("address"), port: f.int("port"), type: f.string("type")
                ).run()
            })
    }

    func run() async throws {
        try target.checkOutput(["short", "json"])
        let listeners = ListenerTable.listeners(in: try await target.admin("/config_dump")).filter {
            (address.isEmpty || ListenerTable.address($0).lowercased() == address.lowercased())
                && (port == 0 || ListenerTable.port($0) == port)
                && (type.isEmpty || ListenerTable.type($0).lowercased() == type.lowercased())
        }
        if target.output == "json" {
            Console.out(JSONValue.array(listeners.map { $0.removing(["@type"]).camelCased() }).goIndentedJSON())
            return
        }
        Console.out(ListenerTable.format(listeners, version: IstioctlEnvironment.current.version))
    }
}

/// The pieces of `listener.go` the table is made of.
enum ListenerTable {
    static let httpFilter = "envoy.filters.network.http_connection_manager"
    static let tcpFilter = "envoy.filters.network.tcp_proxy"
    static let blackHole = "BlackHoleCluster"

    /// The active dynamic listeners, then the static ones (`retrieveSortedListenerSlice`).
    static func listeners(in dump: JSONValue) -> [JSONValue] {
        let section = dump["configs"]?.arrayValue?.first { ($0["@type"]?.stringValue ?? "").hasSuffix("ListenersConfigDump") }
        let dynamic = (section?["dynamic_listeners"]?.arrayValue ?? []).compactMap { $0["active_state"]?["listener"] }
        let fixed = (section?["static_listeners"]?.arrayValue ?? []).compactMap { $0["listener"] }
        return dynamic + fixed
    }

    static func format(_ listeners: [JSONValue], version: IstioVersion) -> String {
        let sorted = listeners.enumerated().sorted { a, b in
            let ka = (port(a.element), address(a.element), type(a.element))
            let kb = (port(b.element), address(b.element), type(b.element))
            return ka != kb ? ka < kb : a.offset < b.offset
        }.map(\.element)
        guard version.has(.listenerMatchColumns) else {
            let rows = sorted.map { [address($0), String(port($0)), type($0)] }
            return TabWriter.format([["ADDRESS", "PORT", "TYPE"]] + rows, padding: 1)
        }
        var rows = [[version.has(.listenerAddressesColumn) ? "ADDRESSES" : "ADDRESS", "PORT", "MATCH", "DESTINATION"]]
        for listener in sorted {
            let matches = chains(listener).map { (match: describeMatch($0["filter_chain_match"]), destination: destination($0)) }
            // Sorted by destination, descending (insertion sort keeps equal ones in chain order).
            let ordered = matches.enumerated().sorted { a, b in
                a.element.destination != b.element.destination ? a.element.destination > b.element.destination : a.offset < b.offset
            }.map(\.element)
            for m in ordered { rows.append([address(listener), String(port(listener)), m.match, m.destination]) }
        }
        return TabWriter.format(rows, padding: 1)
    }

    static func chains(_ listener: JSONValue) -> [JSONValue] {
        (listener["filter_chains"]?.arrayValue ?? []) + (listener["default_filter_chain"].map { [$0] } ?? [])
    }

    static func address(_ l: JSONValue) -> String {
        l["address"]?["socket_address"]?["address"]?.stringValue ?? l["address"]?["pipe"]?["path"]?.stringValue ?? ""
    }

    static func port(_ l: JSONValue) -> Int { l["address"]?["socket_address"]?["port_value"]?.intValue.map(Int.init) ?? 0 }

    /// `retrieveListenerType`: HTTP, TCP (not counting blackholes), HTTP+TCP or UNKNOWN.
    static func type(_ l: JSONValue) -> String {
        var http = 0, tcp = 0
        for filter in chains(l).flatMap({ $0["filters"]?.arrayValue ?? [] }) {
            if filter["name"]?.stringValue == httpFilter { http += 1 }
            if filter["name"]?.stringValue == tcpFilter, filter["typed_config"]?["cluster"]?.stringValue != blackHole { tcp += 1 }
        }
        if http > 0 { return tcp == 0 ? "HTTP" : "HTTP+TCP" }
        return tcp > 0 ? "TCP" : "UNKNOWN"
    }

    /// `getMatches`.
    static func describeMatch(_ match: JSONValue?) -> String {
        var parts: [String] = []
        let strings = { (key: String) in (match?[key]?.arrayValue ?? []).compactMap(\.stringValue) }
        let names = strings("server_names")
        if !names.isEmpty { parts.append("SNI: " + names.joined(separator: ",")) }
        if let transport = match?["transport_protocol"]?.stringValue, !transport.isEmpty { parts.append("Trans: \(transport)") }
        let alpns = strings("application_protocols")
        if !alpns.isEmpty { parts.append(protocolDescriptions.first { $0.1 == alpns }?.0 ?? "App: " + alpns.joined(separator: ",")) }
        let port = match?["destination_port"]?.intValue.map { ":\($0)" } ?? ""
        let ranges = (match?["prefix_ranges"]?.arrayValue ?? []).map {
            "\($0["address_prefix"]?.stringValue ?? "")/\($0["prefix_len"]?.intValue ?? 0)"
        }
        if !ranges.isEmpty {
            parts.append("Addr: " + ranges.joined(separator: ",") + port)
        } else if !port.isEmpty {
            parts.append("Addr: *\(port)")
        }
        return parts.isEmpty ? "ALL" : parts.joined(separator: "; ")
    }

    /// `protDescrs`: ALPN lists istioctl names.
    static let protocolDescriptions: [(String, [String])] = [
        ("App: HTTP TLS", ["http/1.0", "http/1.1", "h2c", "istio-http/1.0", "istio-http/1.1", "istio-h2"]),
        ("App: Istio HTTP Plain", ["istio", "istio-http/1.0", "istio-http/1.1", "istio-h2"]),
        ("App: TCP TLS", ["istio-peer-exchange", "istio"]),
        ("App: HTTP", ["http/1.0", "http/1.1", "h2c"]),
    ]

    /// `getFilterType`: where a chain sends traffic.
    static func destination(_ chain: JSONValue) -> String {
        for filter in chain["filters"]?.arrayValue ?? [] {
            let config = filter["typed_config"]
            if filter["name"]?.stringValue == httpFilter {
                if let routes = config?["route_config"] { return describeRouteConfig(routes) }
                if let name = config?["rds"]?["route_config_name"]?.stringValue, !name.isEmpty { return "Route: \(name)" }
                return "HTTP"
            }
            if filter["name"]?.stringValue == tcpFilter, let cluster = config?["cluster"]?.stringValue, cluster != blackHole {
                return cluster.contains("Cluster") ? cluster : "Cluster: \(cluster)"
            }
        }
        return "Non-HTTP/Non-TCP"
    }

    /// `describeRouteConfig`: a match-all route to one cluster shows the cluster; else the hosts and matches.
    static func describeRouteConfig(_ config: JSONValue) -> String {
        let hosts = config["virtual_hosts"]?.arrayValue ?? []
        if hosts.count == 1, let routes = hosts[0]["routes"]?.arrayValue, routes.count == 1,
            (hosts[0]["domains"]?.arrayValue ?? []).compactMap(\.stringValue) == ["*"],
            routes[0]["match"]?["prefix"]?.stringValue == "/", let cluster = routes[0]["route"]?["cluster"]?.stringValue
        {
            return cluster.contains("Cluster") ? cluster : "Cluster: \(cluster)"
        }
        let described = hosts.map { host -> String in
            let domains = (host["domains"]?.arrayValue ?? []).compactMap(\.stringValue)
            let routes = (host["routes"]?.arrayValue ?? []).map { RouteTable.describeMatch($0["match"]) }.joined(separator: ", ")
            return domains == ["*"] ? routes : domains.joined(separator: "/") + " " + routes
        }
        return "Inline Route: " + described.joined(separator: "; ")
    }
}
