import EmulatorAPI
import JSON
import Kubernetes
import Istio

/// `istioctl proxy-status` (`ps`): every proxy connected to an asked istiod, with the sync state
/// of each xDS type from the nonces istiod sent and the proxy acknowledged (syncz), as
/// `istioctl/pkg/writer/pilot/status.go` prints it (docs/istio-facts.md §7.3).
struct ProxyStatusCommand {
    var revision: String?
    /// `-n`: from 1.19 the syncz query carries it and istiod lists only that namespace's proxies.
    var namespace: String

    static func command(_ version: IstioVersion) -> CobraCommand {
        let typed = version.has(.typedProxyTargets)
        let istiod = version.has(.istiodColumnInProxyStatus) ? "Istiod" : "Pilot"
        var command = CobraCommand(
            typed ? "proxy-status [<type>/]<name>[.<namespace>]" : "proxy-status [<pod-name[.namespace]>]",
            aliases: ["ps"], short: "Retrieves the synchronization status of each Envoy in the mesh [kube only]",
            long: "\nRetrieves last sent and last acknowledged xDS sync from \(istiod) to each Envoy in the mesh\n\n",
            persistentFlags: [ControlPlaneFlag.revision(version)],
            run: { invocation in
                let f = invocation.flags
                if let target = invocation.args.first {
                    try await ProxyStatusDiff(target: target, namespace: f.namespaceOrDefault, revision: f.optional("revision")).run()
                    return
                }
                try await ProxyStatusCommand(revision: f.optional("revision"), namespace: f.string("namespace")).run()
            })
        command.example = typed
            ? "  # Retrieve sync status for all Envoys in a mesh\n  istioctl proxy-status\n\n  # Retrieve sync diff for a single Envoy and Istiod\n  istioctl proxy-status istio-egressgateway-59585c5b9c-ndc59.istio-system\n"
            : "# Retrieve sync status for all Envoys in a mesh\n\tistioctl proxy-status\n\n# Retrieve sync diff for a single Envoy and Pilot\n\tistioctl proxy-status istio-egressgateway-59585c5b9c-ndc59.istio-system\n"
        return command
    }

    func run() async throws {
        let env = IstioctlEnvironment.current
        let plane = ControlPlane(env: env, client: try await KubeconfigLocator.connect(env))
        var statuses = try await plane.syncz(revision: revision).flatMap { s in s.proxies.map { (istiod: s.istiod, status: $0) } }
        if env.version.has(.proxyStatusNamespaceFilter), !namespace.isEmpty {
            statuses = statuses.filter { $0.status.proxy.hasSuffix(".\(namespace)") }
        }
        Console.out(Self.table(statuses.sorted { $0.status.proxy < $1.status.proxy }, version: env.version))
    }

    static func table(_ rows: [(istiod: String, status: SyncStatus)], version: IstioVersion) -> String {
        let cluster = version.has(.clusterColumnInProxyStatus)
        let ecds = version.has(.ecdsColumnInProxyStatus)
        var header = ["NAME"] + (cluster ? ["CLUSTER"] : []) + ["CDS", "LDS", "EDS", "RDS"] + (ecds ? ["ECDS"] : [])
        header += [version.has(.istiodColumnInProxyStatus) ? "ISTIOD" : "PILOT", "VERSION"]
        var table = [header]
        for (istiod, s) in rows {
            var row = [s.proxy] + (cluster ? ["Kubernetes"] : [])
            // Note the order: CDS, LDS, EDS, RDS.
            row += [.cluster, .listener, .endpoint, .route].map { (type: SyncStatus.XDSType) in
                syncState(sent: s[type].sent, acked: s[type].acked)
            }
            if ecds { row.append("NOT SENT") }
            row += [istiod, s.istioVersion.isEmpty ? "*" : s.istioVersion]
            table.append(row)
        }
        return TabWriter.format(table, padding: 5)
    }

    /// The same function from 1.6 to today: what was last sent against what was last acknowledged.
    static func syncState(sent: String, acked: String) -> String {
        if sent.isEmpty { return "NOT SENT" }
        if sent == acked { return "SYNCED" }
        if acked.isEmpty { return "STALE (Never Acknowledged)" }
        return "STALE"
    }
}
