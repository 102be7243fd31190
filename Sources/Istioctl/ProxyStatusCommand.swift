import ArgumentParser
import EmulatorAPI
import JSON
import Kubernetes
import Istio

/// `istioctl proxy-status` (`ps`): every proxy connected to an asked istiod, with the sync state
/// of each xDS type from the nonces istiod sent and the proxy acknowledged (syncz), as
/// `istioctl/pkg/writer/pilot/status.go` prints it (docs/istio-facts.md §7.3).
struct ProxyStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proxy-status", abstract: "Retrieves the synchronization status of each Envoy in the mesh [kube only]",
        aliases: ["ps"])

    @Option(name: [.customLong("revision")], help: "Control plane revision") var revision: String?

    func run() async throws {
        let env = IstioctlEnvironment.current
        let plane = ControlPlane(env: env, client: try await KubeconfigLocator.connect(env))
        let statuses = try await plane.syncz(revision: revision).flatMap { s in s.proxies.map { (istiod: s.istiod, status: $0) } }
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
