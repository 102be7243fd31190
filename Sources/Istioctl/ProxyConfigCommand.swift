import Foundation
import JSON
import Kubernetes
import Istio

/// `istioctl proxy-config` (`pc`): a proxy's configuration read from its Envoy admin (the
/// simulated sidecar's admin view, or a real Envoy's), printed as istioctl prints it
/// (`istioctl/pkg/writer/envoy/{clusters,configdump}`, docs/istio-facts.md §2).
enum ProxyConfigCommand {
    /// `istioctl/cmd/proxyconfig.go@1.6.0` (`istioctl/pkg/proxyconfig/proxyconfig.go` from 1.19).
    static func command(_ version: IstioVersion) -> CobraCommand {
        let target = version.has(.typedProxyTargets) ? "[<type>/]<name>[.<namespace>]" : "[<pod-name[.namespace]>]"
        var group = CobraCommand(
            "proxy-config", aliases: ["pc"], short: "Retrieve information about proxy configuration from Envoy [kube only]",
            long: "A group of commands used to retrieve information about proxy configuration from the Envoy config dump",
            example: "  # Retrieve information about proxy configuration from an Envoy instance.\n  istioctl proxy-config <clusters|listeners|routes|endpoints|bootstrap> <pod-name[.namespace]>",
            persistentFlags: [CobraFlag("output", "o", default: "short", "Output format: one of json|short")],
            commands: [ProxyConfigEndpoints.command(), ProxyConfigClusters.command(), ProxyConfigBootstrap.command(),
                       ProxyConfigListeners.command(), ProxyConfigRoutes.command()])
        for i in group.commands.indices { group.commands[i].use += " " + target }
        return group
    }

    /// Each subcommand's argument check (`Args` in proxyconfig.go): one pod, with its usage on stderr otherwise.
    static func requirePod(_ invocation: CobraInvocation) throws(IstioctlFailure) {
        guard invocation.args.count == 1 else {
            Console.write(invocation.path.usage + "\n", error: true)
            throw IstioctlFailure("\(invocation.path.command.name) requires pod name or --file parameter")
        }
    }
}

/// The flags every `proxy-config` subcommand shares.
struct ProxyConfigTarget {
    var pod: String
    var namespace: String?
    var output = "short"

    init(_ invocation: CobraInvocation) {
        pod = invocation.args.first ?? ""
        let ns = invocation.flags.string("namespace")
        namespace = ns.isEmpty ? nil : ns
        output = invocation.flags.string("output")
    }

    func checkOutput(_ allowed: [String]) throws(IstioctlFailure) {
        guard allowed.contains(output) else { throw IstioctlFailure("output format \"\(output)\" not supported") }
    }

    /// GETs `path` on the pod's proxy admin and parses the JSON.
    func admin(_ path: String) async throws -> JSONValue {
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        // `deployment/NAME` (1.8+) stands for the Deployment's first pod.
        var target = pod
        if env.version.has(.typedProxyTargets), pod.contains("/") {
            let (name, ns) = try await PodTarget.resolve(pod, namespace: namespace ?? "default", client: client, typed: true)
            target = "\(name).\(ns)"
        }
        let base = try await env.proxyAdmin(target, namespace: namespace, client: client)
        let body = try await client.admin(base, path)
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw IstioctlFailure("error parsing the proxy's answer to \(path): \(error)")
        }
    }
}

/// `proxy-config endpoints` (`endpoint`, `ep`): hosts from `/clusters?format=json`.
struct ProxyConfigEndpoints {
    var target: ProxyConfigTarget
    var address = ""
    var port = 0
    var cluster = ""
    var status = ""

    static func command() -> CobraCommand {
        CobraCommand(
            "endpoint", aliases: ["endpoints", "ep"],
            short: "Retrieves endpoint configuration for the Envoy in the specified pod",
            flags: [
                CobraFlag("address", "Filter endpoints by address field"),
                CobraFlag("port", nil, .int, "Filter endpoints by Port field"),
                CobraFlag("cluster", "Filter endpoints by cluster name field"),
                CobraFlag("status", "Filter endpoints by status field"),
            ],
            run: { invocation in
                try ProxyConfigCommand.requirePod(invocation)
                let f = invocation.flags
                try await ProxyConfigEndpoints(
                    target: ProxyConfigTarget(invocation), address: f.string("address"), port: f.int("port"),
                    cluster: f.string("cluster"), status: f.string("status")
                ).run()
            })
    }

    func run() async throws {
        try target.checkOutput(["short", "json"])
        let clusters = try await target.admin("/clusters?format=json")["cluster_statuses"]?.arrayValue ?? []
        let filter = EndpointFilter(address: address, port: port, cluster: cluster, status: status)
        let version = IstioctlEnvironment.current.version
        if target.output == "json" {
            // Each matching cluster whole, with all its hosts (clusters.go prints the ClusterStatus).
            let matching = clusters.filter { c in (c["host_statuses"]?.arrayValue ?? []).contains { filter.matches(c, $0) } }
            Console.out(JSONValue.array(matching.map { EndpointFilter.clusterStatus($0, for: version) }).goIndentedJSON())
            return
        }
        var rows: [(address: String, port: Int, cluster: String, row: [String])] = []
        for c in clusters {
            for host in c["host_statuses"]?.arrayValue ?? [] where filter.matches(c, host) {
                let (addr, port, shown) = EndpointFilter.endpoint(host)
                let outlier = host["health_status"]?["failed_outlier_check"] == .bool(true) ? "FAILED" : "OK"
                let name = c["name"]?.stringValue ?? ""
                rows.append((addr, port, name, [shown, EndpointFilter.health(host), outlier, name]))
            }
        }
        rows.sort { ($0.address, $0.port, $0.cluster) < ($1.address, $1.port, $1.cluster) }
        Console.out(TabWriter.format([["ENDPOINT", "STATUS", "OUTLIER CHECK", "CLUSTER"]] + rows.map(\.row), padding: 5))
    }
}

/// The endpoint filters and row pieces of `clusters.go`.
struct EndpointFilter {
    var address: String
    var port: Int
    var cluster: String
    var status: String

    func matches(_ clusterStatus: JSONValue, _ host: JSONValue) -> Bool {
        let (addr, p, _) = Self.endpoint(host)
        if !address.isEmpty, addr.lowercased() != address.lowercased() { return false }
        if port != 0, p != port { return false }
        if !cluster.isEmpty, (clusterStatus["name"]?.stringValue ?? "").lowercased() != cluster.lowercased() { return false }
        if !status.isEmpty, Self.health(host) != status { return false }
        return true
    }

    /// (address, port, as shown): `10.0.0.1:15012`, or `unix://path` for a pipe.
    static func endpoint(_ host: JSONValue) -> (String, Int, String) {
        if let path = host["address"]?["pipe"]?["path"]?.stringValue { return (path, 0, "unix://\(path)") }
        let socket = host["address"]?["socket_address"]
        let addr = socket?["address"]?.stringValue ?? ""
        let port = socket?["port_value"]?.intValue.map { Int($0) } ?? 0
        return (addr, port, "\(addr):\(port)")
    }

    static func health(_ host: JSONValue) -> String {
        host["health_status"]?["eds_health_status"]?.stringValue ?? "UNKNOWN"
    }

    /// A `ClusterStatus` as this istioctl's protos know it (fields Envoy added later are dropped,
    /// as an older proto has no place for them), in jsonpb's camelCase.
    static func clusterStatus(_ status: JSONValue, for version: IstioVersion) -> JSONValue {
        var unknown: Set<String> = []
        if !version.has(.circuitBreakersInClusterStatus) { unknown.insert("circuit_breakers") }
        if !version.has(.observabilityNameInClusterStatus) { unknown.insert("observability_name") }
        if !version.has(.edsServiceNameInClusterStatus) { unknown.insert("eds_service_name") }
        return status.removing(unknown).camelCased()
    }
}

/// `proxy-config clusters` (`cluster`, `c`): static and dynamic clusters from `/config_dump`.
struct ProxyConfigClusters {
    var target: ProxyConfigTarget
    var fqdn = ""
    var direction = ""
    var subset = ""
    var port = 0

    static func command() -> CobraCommand {
        CobraCommand(
            "cluster", aliases: ["clusters", "c"],
            short: "Retrieves cluster configuration for the Envoy in the specified pod",
            flags: [
                CobraFlag("fqdn", "Filter clusters by substring of Service FQDN field"),
                CobraFlag("direction", "Filter clusters by Direction field"),
                CobraFlag("subset", "Filter clusters by substring of Subset field"),
                CobraFlag("port", nil, .int, "Filter clusters by Port field"),
            ],
            run: { invocation in
                try ProxyConfigCommand.requirePod(invocation)
                let f = invocation.flags
                try await ProxyConfigClusters(
                    target: ProxyConfigTarget(invocation), fqdn: f.string("fqdn"), direction: f.string("direction"),
                    subset: f.string("subset"), port: f.int("port")
                ).run()
            })
    }

    func run() async throws {
        try target.checkOutput(["short", "json"])
        let dump = try await target.admin("/config_dump")
        let clustersDump = dump["configs"]?.arrayValue?.first { ($0["@type"]?.stringValue ?? "").hasSuffix("ClustersConfigDump") }
        var clusters = (clustersDump?["static_clusters"]?.arrayValue ?? []).compactMap { $0["cluster"] }
        clusters += (clustersDump?["dynamic_active_clusters"]?.arrayValue ?? []).compactMap { $0["cluster"] }
        let parsed = clusters.map { (cluster: $0, key: ClusterName($0["name"]?.stringValue ?? "")) }
            .filter { c in
                (fqdn.isEmpty || c.key.fqdn.contains(fqdn)) && (direction.isEmpty || c.key.direction == direction)
                    && (subset.isEmpty || c.key.subset.contains(subset)) && (port == 0 || c.key.port == port)
            }
            .sorted { a, b in
                (a.key.fqdn, a.key.subset, a.key.port, a.key.direction) < (b.key.fqdn, b.key.subset, b.key.port, b.key.direction)
            }
        if target.output == "json" {
            Console.out(JSONValue.array(parsed.map { $0.cluster.camelCased() }).goIndentedJSON())
            return
        }
        let withDR = IstioctlEnvironment.current.version.has(.destinationRuleColumn)
        var rows = [["SERVICE FQDN", "PORT", "SUBSET", "DIRECTION", "TYPE"] + (withDR ? ["DESTINATION RULE"] : [])]
        for (cluster, key) in parsed {
            // An absent `type` is the enum's zero, STATIC; EDS clusters say so.
            let type = cluster["type"]?.stringValue ?? "STATIC"
            var row = key.isServiceKey
                ? [key.fqdn, String(key.port), key.subset.isEmpty ? "-" : key.subset, key.direction, type]
                : [key.fqdn, "-", "-", "-", type]
            if withDR { row.append("") }
            rows.append(row)
        }
        Console.out(TabWriter.format(rows, padding: 5))
    }
}

/// `outbound|9080|v1|details.default.svc.cluster.local` split as istioctl's `safelyParseSubsetKey`.
struct ClusterName {
    var direction = "", port = 0, subset = "", fqdn: String
    var isServiceKey = false

    init(_ name: String) {
        let parts = name.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        guard parts.count > 3 else {
            fqdn = name
            return
        }
        isServiceKey = true
        direction = parts[0]
        port = Int(parts[1]) ?? 0
        subset = parts[2]
        fqdn = parts[3]
    }
}

/// `proxy-config bootstrap` (`b`): the `BootstrapConfigDump` from `/config_dump`, JSON only in 1.6.
struct ProxyConfigBootstrap {
    var target: ProxyConfigTarget

    static func command() -> CobraCommand {
        CobraCommand(
            "bootstrap", aliases: ["b"],
            short: "Retrieves bootstrap configuration for the Envoy in the specified pod",
            run: { invocation in
                try ProxyConfigCommand.requirePod(invocation)
                try await ProxyConfigBootstrap(target: ProxyConfigTarget(invocation)).run()
            })
    }

    func run() async throws {
        // 1.6 has only JSON (its -o flag is ignored by this command); the flag's default stays valid.
        try target.checkOutput(["short", "json"])
        let dump = try await target.admin("/config_dump")
        guard let bootstrap = dump["configs"]?.arrayValue?.first(where: { ($0["@type"]?.stringValue ?? "").hasSuffix("BootstrapConfigDump") })
        else { throw IstioctlFailure("config dump has no bootstrap") }
        Console.out(bootstrap.removing(["@type"]).camelCased().goIndentedJSON())
    }
}
