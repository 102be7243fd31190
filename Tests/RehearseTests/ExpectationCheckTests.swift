import EmulatorAPI
import Istio
import Kubernetes
import Rehearse
import Testing

/// Expectations against facts built from the emulator's endpoint types: what holds gives no
/// line, what does not says what was expected and what came.
struct ExpectationCheckTests {
    static let world = World.defaultWorld(config: WorldConfig(seed: 7), now: Timestamp(milliseconds: 4_000_000_000), istio: .v1_5_4)

    /// Bookinfo's 6 pods plus the gateway, as `/xdsemu/v1/proxies` lists them, and a syncz in
    /// which `connected` proxies are connected (synced, or stale when named in `stale`).
    static func facts(
        revisionOf: (String) -> String = { _ in "default" }, connected: Int = 7, stale: Set<String> = [], nacked: Set<String> = []
    ) -> ClusterFacts {
        let pods = world.list(.pods).filter { !$0.name.hasPrefix("istiod") }
        let running = pods.map { p in
            let rev = revisionOf(p.name)
            return ProxyStatus(
                namespace: p.namespace, pod: p.name, kind: p.name.hasPrefix("istio-ingressgateway") ? "router" : "sidecar",
                implementation: "simulated", istioVersion: rev == "default" ? "1.5.4" : "1.6.0",
                discoveryHost: rev == "default" ? "istiod.istio-system.svc" : "istiod-\(rev).istio-system.svc",
                discoveryAddress: "127.0.0.1:1", admin: "")
        }
        var byRevision: [String: [SyncStatus]] = [:]
        for p in running.prefix(connected) {
            let id = "\(p.pod).\(p.namespace)"
            let acked = stale.contains(p.pod) ? "" : "n1"
            byRevision[revisionOf(p.pod), default: []].append(
                SyncStatus(
                    proxy: id, istioVersion: p.istioVersion,
                    nonces: [.cluster: .init(sent: "n1", acked: acked, nack: nacked.contains(p.pod) ? "bad cluster" : nil)]))
        }
        let syncz = byRevision.map { Syncz(istiod: "istiod-\($0.key)", revision: $0.key, version: "1.5.4", proxies: $0.value) }
        let istiods = ["default", "canary"].map {
            IstiodStatus(
                revision: $0, version: "", host: $0 == "default" ? "istiod.istio-system.svc" : "istiod-\($0).istio-system.svc",
                address: "", pod: "", deployment: "", namespace: "istio-system")
        }
        return ClusterFacts(world: world, proxies: running, syncz: syncz, istiods: istiods)
    }

    func check(_ e: StepExpectation, _ facts: ClusterFacts = facts(), outcome: CommandOutcome? = nil) -> [String] {
        ExpectationCheck.failures(e, outcome: outcome, facts: facts)
    }

    @Test func proxiesHoldOrSayWhichAreOff() {
        #expect(check(StepExpectation(proxies: [ProxyExpectation(revision: "default", version: "1.5.4", status: .synced, count: 7)])) == [])
        let ratingsLeft = Self.facts(revisionOf: { $0.hasPrefix("ratings") || $0.hasPrefix("istio-ingress") ? "default" : "canary" })
        let failures = check(
            StepExpectation(proxies: [ProxyExpectation(selection: Selection(namespace: "default"), revision: "canary", count: 6)]), ratingsLeft)
        #expect(failures.count == 1)
        #expect(failures.first?.hasPrefix("proxies (namespace=default): 1 of 6 not on revision canary: ratings-v1-") == true, "\(failures)")
        #expect(failures.first?.hasSuffix(".default (default)") == true)
        #expect(
            check(StepExpectation(proxies: [ProxyExpectation(selection: Selection(name: "ratings-v1"), revision: "default", count: 1)]), ratingsLeft) == [])
        #expect(
            check(StepExpectation(proxies: [ProxyExpectation(selection: Selection(namespace: "default", selector: "app=reviews"), count: 2)]))
                .first?.hasPrefix("proxies (namespace=default selector=app=reviews): expected 2, found 3: reviews-v1-") == true)
    }

    @Test func statusIsSyncedStaleOrNotConnected() {
        let facts = Self.facts(connected: 6, stale: Set(Self.world.list(.pods).map(\.name).filter { $0.hasPrefix("details") }))
        let byPod = Dictionary(facts.proxies.map { (String($0.pod.prefix(7)), $0.status) }, uniquingKeysWith: { a, _ in a })
        #expect(byPod["details"] == .stale)
        #expect(byPod["product"] == .synced)
        #expect(facts.proxies.first { $0.namespace == "istio-system" }?.status == .notConnected)
        #expect(facts.proxies.filter { $0.status == .notConnected }.allSatisfy { $0.revision == "default" })
        let failures = check(StepExpectation(proxies: [ProxyExpectation(status: .synced)]), facts)
        #expect(failures.count == 1)
        #expect(failures.first?.contains("2 of 7 not with status SYNCED") == true, "\(failures)")
        #expect(failures.first?.contains("(STALE)") == true && failures.first?.contains("(NOT CONNECTED)") == true)
    }

    @Test func nacksAreCountedPerRevision() {
        let facts = Self.facts(nacked: Set(Self.world.list(.pods).map(\.name).filter { $0.hasPrefix("reviews") }))
        #expect(check(StepExpectation(nacks: [NackExpectation(revision: "default", count: 3)]), facts) == [])
        #expect(
            check(StepExpectation(nacks: [NackExpectation(revision: "default", count: 0)]), facts).first?
                .hasPrefix("proxies on revision default whose last answer was a NACK: expected 0, found 3: reviews-v1-") == true)
        #expect(facts.perRevision["default"]?.nacked == 3)
        #expect(facts.perRevision["default"]?.connected == 7)
    }

    @Test func podsEventsAndWebhook() {
        #expect(check(StepExpectation(pods: [PodExpectation(selection: Selection(namespace: "default"), ready: true, phase: "Running", count: 6)])) == [])
        #expect(
            check(StepExpectation(pods: [PodExpectation(selection: Selection(namespace: "default", name: "nope"))]))
                == ["pods (namespace=default name=nope*): none found"])
        #expect(check(StepExpectation(webhook: [WebhookExpectation(namespace: "default", revision: "default")])) == [])
        let webhook = check(StepExpectation(webhook: [WebhookExpectation(namespace: "default", revision: "canary")]))
        #expect(webhook.first?.hasPrefix("injection of a new pod in default: expected revision canary, got default (") == true, "\(webhook)")
        // 1.5's injector reads only the annotation, not the pod label (injectionLabelOnPods is 1.10+).
        #expect(
            check(StepExpectation(webhook: [WebhookExpectation(namespace: "default", labels: ["sidecar.istio.io/inject": "false"], revision: "default")])) == [])
        #expect(check(StepExpectation(webhook: [WebhookExpectation(namespace: "kube-system", revision: "none")])) == [])
        #expect(
            check(StepExpectation(events: [EventExpectation(reason: "NoSuchReason")]))
                == ["events with reason NoSuchReason: none found"])
    }

    @Test func outputAndExit() {
        let outcome = CommandOutcome(exit: 1, stdout: "✔ Installation complete\n", stderr: "warning: x\n")
        let e = StepExpectation(
            exit: 1, stdout: [.contains("Installation complete"), .equals("✔ Installation complete"), .matches("Install.*te$")],
            stderr: [.lacks("error")])
        #expect(ExpectationCheck.failures(e, outcome: outcome, facts: nil) == [])
        let wrong = StepExpectation(stdout: [.contains("Istiod installed"), .lacks("complete"), .matches("^x")])
        #expect(
            ExpectationCheck.failures(wrong, outcome: outcome, facts: nil) == [
                "exit status 1, expected 0", "stdout does not contain \"Istiod installed\"",
                "stdout contains \"complete\", expected it absent", "stdout does not match /^x/",
            ])
        #expect(
            ExpectationCheck.failures(StepExpectation(), outcome: CommandOutcome(exit: nil, stdout: "", stderr: "", timedOut: true), facts: nil)
                == ["the command was still running at its timeout and was killed"])
    }
}
