@testable import Istioctl
import EmulatorAPI
import Istio
import Testing

/// `proxy-status POD`'s comparison: a type matches when the proxy acknowledged what istiod last
/// sent; otherwise the comparator's diff headers, named for the release's control plane.
struct ProxyStatusDiffTests {
    @Test func matchesWhenTheLastSendIsAcknowledged() {
        let synced = SyncStatus(proxy: "a.default", istioVersion: "1.20.0", nonces: [.cluster: .init(sent: "n1", acked: "n1")])
        #expect(ProxyStatusDiff.report(synced, version: IstioVersion(1, 20, 0)) == ["Clusters Match", "Listeners Match", "Routes Match"])
    }

    @Test func anUnacknowledgedSendIsADiff() {
        let stale = SyncStatus(proxy: "a.default", istioVersion: "1.6.0", nonces: [.cluster: .init(sent: "n2", acked: "n1")])
        #expect(ProxyStatusDiff.report(stale, version: .v1_6_0).prefix(4) == ["--- Pilot Clusters", "+++ Envoy Clusters", "@@ -1 +1 @@", "-nonce n2"])
        let route = SyncStatus(proxy: "a.default", istioVersion: "1.20.0", nonces: [.route: .init(sent: "r1")])
        let lines = ProxyStatusDiff.report(route, version: IstioVersion(1, 20, 0))
        #expect(lines.starts(with: ["Clusters Match", "Listeners Match", "Routes Don't Match", "--- Istiod Routes", "+++ Envoy Routes"]))
    }
}
