import EmulatorAPI
import Istio
import Kubernetes

/// What the expectations are checked against, taken at one moment: the proxies as the emulator's
/// own endpoints report them (`ProxyStatus`: every running proxy; `Syncz`: what each live istiod
/// knows of its connected proxies; `IstiodStatus`: which host is which revision), and the world
/// for pods, events and the injection webhooks (what kubectl reads).
package struct ClusterFacts: Sendable {
    /// One running proxy.
    package struct Proxy: Sendable, Hashable {
        /// `POD.NAMESPACE`, as istiod names it.
        package var id: String
        package var namespace: String
        package var pod: String
        package var labels: [String: String]
        /// The revision of the istiod it is connected to; when not connected, of the istiod its
        /// injection names.
        package var revision: String
        /// `ISTIO_VERSION` of the proxy.
        package var version: String
        package var status: ProxyExpectation.Status
        /// Whether its last answer to a push (of any type) was a NACK.
        package var nacked: Bool
    }

    package var proxies: [Proxy]
    package var world: World

    package init(proxies: [Proxy], world: World) {
        self.proxies = proxies
        self.world = world
    }

    /// Joins the endpoints' answers: a proxy listed by `proxies` is connected when a live
    /// istiod's syncz lists its id.
    package init(world: World, proxies running: [ProxyStatus], syncz: [Syncz], istiods: [IstiodStatus]) {
        var connected: [String: (revision: String, status: SyncStatus)] = [:]
        for s in syncz {
            for p in s.proxies { connected[p.proxy] = (s.revision, p) }
        }
        let revisionOfHost = Dictionary(istiods.map { ($0.host, $0.revision) }, uniquingKeysWith: { a, _ in a })
        let labels = Dictionary(
            world.list(.pods).map { ("\($0.name).\($0.namespace)", $0.labels) }, uniquingKeysWith: { a, _ in a })
        self.world = world
        self.proxies = running.map { p in
            let id = "\(p.pod).\(p.namespace)"
            let host = String(p.discoveryHost.split(separator: ":").first ?? "")
            var proxy = Proxy(
                id: id, namespace: p.namespace, pod: p.pod, labels: labels[id] ?? [:],
                revision: revisionOfHost[host] ?? Self.revision(ofHost: host), version: p.istioVersion,
                status: .notConnected, nacked: false)
            if let (revision, sync) = connected[id] {
                proxy.revision = revision
                proxy.status = Self.status(sync)
                proxy.nacked = SyncStatus.XDSType.allCases.contains { sync[$0].nack != nil }
            }
            return proxy
        }.sorted { $0.id < $1.id }
    }

    /// SYNCED when every type istiod sent is acknowledged at its last nonce (and something was
    /// sent); STALE otherwise — `istioctl proxy-status`'s rule per type, over all types.
    static func status(_ s: SyncStatus) -> ProxyExpectation.Status {
        let sent = SyncStatus.XDSType.allCases.map { s[$0] }.filter { !$0.sent.isEmpty }
        return !sent.isEmpty && sent.allSatisfy({ $0.sent == $0.acked }) ? .synced : .stale
    }

    /// `istiod.istio-system.svc` (and 1.5's `istio-pilot`) → `default`; `istiod-canary.…` → `canary`:
    /// the service names installs give revisions (for a proxy whose istiod is gone).
    static func revision(ofHost host: String) -> String {
        let service = host.split(separator: ".").first.map(String.init) ?? host
        if service == "istiod" || service == "istio-pilot" { return "default" }
        if service.hasPrefix("istiod-") { return String(service.dropFirst("istiod-".count)) }
        return service
    }

    /// Connected proxies per revision, and how many of them last NACKed: one sample of the timeline.
    package var perRevision: [String: (connected: Int, nacked: Int)] {
        var out: [String: (connected: Int, nacked: Int)] = [:]
        for p in proxies where p.status != .notConnected {
            var entry = out[p.revision] ?? (0, 0)
            entry.connected += 1
            if p.nacked { entry.nacked += 1 }
            out[p.revision] = entry
        }
        return out
    }
}
