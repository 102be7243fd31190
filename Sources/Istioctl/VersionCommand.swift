import EmulatorAPI
import JSON
import Kubernetes
import Istio

/// `istioctl version`: the client's version, each control-plane pod's, and the proxies each
/// istiod reports over syncz, printed by istio/pkg's `version/cobra.go` (docs/istio-facts.md §1).
struct VersionCommand {
    var short = true
    var output = ""
    var remote = true
    var revision: String?

    /// `pkg/version/cobra.go@1.20.0`; istioctl turns `--short` and `--remote` on by default
    /// (`istioctl/cmd/version.go@1.6.0`).
    static func command(_ version: IstioVersion) -> CobraCommand {
        CobraCommand(
            "version", short: "Prints out build version information",
            flags: [
                .bool("short", "s", default: true, "Use --short=false to generate full version information"),
                CobraFlag("output", "o", "One of 'yaml' or 'json'."),
                .bool("remote", default: true, "Use --remote=false to suppress control plane check"),
            ],
            persistentFlags: [ControlPlaneFlag.revision(version)],
            run: { invocation in
                let f = invocation.flags
                try await VersionCommand(short: f.bool("short"), output: f.string("output"), remote: f.bool("remote"), revision: f.optional("revision")).run()
            })
    }

    func run() async throws {
        let env = IstioctlEnvironment.current
        guard ["", "json", "yaml"].contains(output) else { throw IstioctlFailure("--output must be 'yaml' or 'json'") }
        let client = BuildInfo(env.version.description)
        guard remote else {
            Console.out(short && output.isEmpty ? client.version : "client version: \(client.goSyntax)")
            return
        }
        let plane = ControlPlane(env: env, client: try await KubeconfigLocator.connect(env))
        let components = try await plane.components(revision: revision)
        let proxies = try await plane.syncz(revision: revision).flatMap(\.proxies).sorted { $0.proxy < $1.proxy }
        if components.isEmpty {
            Console.out("Istio is not present in the cluster with namespace \"istio-system\"")
            Console.out(client.version)
            return
        }
        switch output {
        case "json":
            let types = env.version.has(.proxyTypeInVersionOutput) ? try await plane.proxyTypes() : [:]
            Console.out(
                Self.json(client: client, components: components, proxies: proxies, release: env.version, types: types)
                    .goIndentedJSON(indent: "  "))
        case "yaml":
            let types = env.version.has(.proxyTypeInVersionOutput) ? try await plane.proxyTypes() : [:]
            Console.out(Self.yaml(client: client, components: components, proxies: proxies, release: env.version, types: types))
        default:
            for line in Self.lines(client: client, components: components, proxies: proxies, short: short) { Console.out(line) }
        }
    }

    /// The text printer: client line, control plane (coalesced when every version is equal), data plane.
    static func lines(client: BuildInfo, components: [ControlPlane.Component], proxies: [SyncStatus], short: Bool) -> [String] {
        guard short else {
            return ["client version: \(client.goSyntax)"]
                + components.map { "\($0.name) version: \(BuildInfo($0.version).goSyntax)" }
                + proxies.map { "data plane version: version.ProxyInfo{ID:\"\($0.proxy)\", IstioVersion:\"\($0.istioVersion)\"}" }
        }
        var out = ["client version: \(client.version)"]
        if Set(components.map(\.version)).count == 1 {
            out.append("control plane version: \(components[0].version)")
        } else {
            out += components.map { "\($0.name) version: \($0.version)" }
        }
        out.append("data plane version: \(renderProxyVersions(proxies.map(\.istioVersion)))")
        return out
    }

    /// `1.5.4 (6 proxies), 1.6.0 (1 proxies)`: grouped by version, sorted (Istio ≥ 1.16; older
    /// releases used Go map order), "proxies" even for one; `none` when empty.
    static func renderProxyVersions(_ versions: [String]) -> String {
        guard !versions.isEmpty else { return "none" }
        var counts: [String: Int] = [:]
        for v in versions { counts[v, default: 0] += 1 }
        return counts.keys.sorted().map { "\($0) (\(counts[$0]!) proxies)" }.joined(separator: ", ")
    }

    /// Go's `json.Marshal` of istio's structs: `ServerInfo{Component, Revision (1.20+), Info}`,
    /// `ProxyInfo{ID, IstioVersion, Type (1.19+)}` (pkg/version/version.go@1.20.0); `types` by proxy ID.
    static func json(
        client: BuildInfo, components: [ControlPlane.Component], proxies: [SyncStatus], release: IstioVersion = Istioctl.defaultVersion,
        types: [String: String] = [:]
    ) -> JSONValue {
        var fields: JSONObject = ["clientVersion": client.json]
        if !components.isEmpty {
            fields["meshVersion"] = .array(
                components.map { c in
                    var server: JSONObject = ["Component": .string(c.name)]
                    if release.has(.revisionInVersionOutput) { server["Revision"] = .string(c.revision) }
                    server["Info"] = BuildInfo(c.version).json
                    return .object(server)
                })
        }
        if !proxies.isEmpty {
            fields["dataPlaneVersion"] = .array(
                proxies.map { p in
                    var proxy: JSONObject = ["ID": .string(p.proxy), "IstioVersion": .string(p.istioVersion)]
                    if release.has(.proxyTypeInVersionOutput) { proxy["Type"] = .string(types[p.proxy] ?? "sidecar") }
                    return .object(proxy)
                })
        }
        return .object(fields)
    }

    /// The same through sigs.k8s.io/yaml (JSON first), so keys come sorted.
    static func yaml(
        client: BuildInfo, components: [ControlPlane.Component], proxies: [SyncStatus], release: IstioVersion = Istioctl.defaultVersion,
        types: [String: String] = [:]
    ) -> String {
        func info(_ b: BuildInfo, indent: String) -> [String] {
            ["golang_version: \(b.golang)", "revision: \(b.revision)", "status: \(b.status)", "tag: \"\(b.version)\"", "version: \"\(b.version)\""]
                .map { indent + $0 }
        }
        var out = ["clientVersion:"] + info(client, indent: "  ")
        if !proxies.isEmpty {
            out.append("dataPlaneVersion:")
            for p in proxies {
                out += ["- ID: \(p.proxy)", "  IstioVersion: \"\(p.istioVersion)\""]
                if release.has(.proxyTypeInVersionOutput) { out.append("  Type: \(types[p.proxy] ?? "sidecar")") }
            }
        }
        if !components.isEmpty {
            out.append("meshVersion:")
            for c in components {
                out += ["- Component: \(c.name)", "  Info:"] + info(BuildInfo(c.version), indent: "    ")
                if release.has(.revisionInVersionOutput) { out.append("  Revision: \(c.revision)") }
            }
        }
        return out.joined(separator: "\n")
    }
}

/// istio/pkg's `version.BuildInfo` for a release. The emulator has no build of its own to report:
/// revision is `xdsemu`, and the Go version the one istio.io shows for 1.6.0 (docs/istio-facts.md §1.1).
struct BuildInfo {
    var version: String
    var revision = "xdsemu"
    var golang = "go1.14.2"
    var status = "Clean"

    init(_ version: String) { self.version = version }

    /// Go's `%#v`.
    var goSyntax: String {
        "version.BuildInfo{Version:\"\(version)\", GitRevision:\"\(revision)\", GolangVersion:\"\(golang)\", BuildStatus:\"\(status)\", GitTag:\"\(version)\"}"
    }

    /// The struct's JSON tags, in field order.
    var json: JSONValue {
        [
            "version": .string(version), "revision": .string(revision), "golang_version": .string(golang),
            "status": .string(status), "tag": .string(version),
        ]
    }
}
