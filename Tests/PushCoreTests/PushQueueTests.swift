import XDSModel
@testable import PushCore

import Testing

/// One pending push per stream, merged; a bound on sends in flight; debounce on a manual clock.
struct PushQueueTests {
    @Test("changes made while a send is in flight merge into one push of the latest state")
    func mergeWhileInFlight() {
        let core = Harness.core(clusters: 2)
        let id = Harness.proxies(core, count: 1, edsNames: [])[0]
        // The first change starts a send that does not complete yet.
        let inFlight = core.update(.cluster, Harness.clusters(2, timeout: 11), now: .zero)
        #expect(inFlight.count == 1)
        // Two more changes while it is in flight: nothing is sent now.
        #expect(core.update(.cluster, Harness.clusters(2, timeout: 12), now: .zero).isEmpty)
        #expect(core.update(.cluster, Harness.clusters(2, timeout: 13), now: .zero).isEmpty)
        // Completion releases exactly one CDS push, carrying the latest version (and, as istiod
        // does after a cluster change, the stream's endpoints once).
        let next = Harness.completeAll(core, core.sendCompleted(id))
        let clusters = next.filter { $0.typeURL == .cluster }
        #expect(clusters.count == 1)
        #expect(clusters.first?.payload.sotw?.versionInfo == core.snapshot(of: .cluster).version)
        #expect(next.filter { $0.typeURL == .endpoint }.count <= 1)
    }

    @Test("at most maxSendsInFlight sends are outstanding; completions release the rest")
    func boundedInFlight() {
        let core = Harness.core(clusters: 1, maxSendsInFlight: 2)
        let ids = Harness.proxies(core, count: 5, edsNames: [])
        var outstanding = core.update(.cluster, Harness.clusters(1, timeout: 20), now: .zero)
        #expect(outstanding.count == 2)
        var served: Set<StreamID> = []
        while let d = outstanding.first {
            outstanding.removeFirst()
            served.insert(d.stream)
            let released = core.sendCompleted(d.stream)
            #expect(released.count <= 1)
            outstanding += released
            #expect(outstanding.count <= 2)
        }
        #expect(served == Set(ids))
    }

    @Test("a stream whose send never completes holds only its own slot")
    func slowConsumerDoesNotHoldOthers() {
        let core = Harness.core(clusters: 1, maxSendsInFlight: 2)
        let ids = Harness.proxies(core, count: 6, edsNames: [])
        let first = core.update(.cluster, Harness.clusters(1, timeout: 21), now: .zero)
        // The first stream served never completes its send; everything else flows through the
        // remaining slot.
        let stuck = first[0].stream
        let rest = Harness.completeAll(core, Array(first.dropFirst()))
        #expect(Set(rest.map(\.stream)).union([stuck]) == Set(ids))
        // A later change reaches every other stream again, and merges for the stuck one.
        let again = Harness.completeAll(core, core.update(.cluster, Harness.clusters(1, timeout: 22), now: .zero))
        #expect(Set(again.map(\.stream)) == Set(ids).subtracting([stuck]))
        let late = core.sendCompleted(stuck)
        #expect(late.count == 1)
        #expect(late[0].payload.sotw?.versionInfo == core.snapshot(of: .cluster).version)
    }

    @Test("debounce waits for a quiet period, but never longer than the maximum delay")
    func debounceOnManualClock() {
        let core = PushCore(codec: CountingCodec().codec, debounce: DebounceConfig(quiet: .milliseconds(100), maxDelay: .seconds(1)))
        _ = core.update(.cluster, Harness.clusters(1), now: .zero)
        #expect(core.nextReleaseDeadline == .milliseconds(100))
        _ = core.releaseDue(now: .milliseconds(100))
        let id = StreamID(1)
        core.open(id, kind: .stateOfTheWorld)
        Harness.settle(core, Harness.completeAll(core, core.receive(DiscoveryRequest(typeURL: .cluster), on: id, now: .milliseconds(100)).dispatches))

        // Quiet period: a change at 200 ms, another at 280 ms; nothing until 380 ms.
        #expect(core.update(.cluster, Harness.clusters(1, timeout: 2), now: .milliseconds(200)).isEmpty)
        #expect(core.update(.cluster, Harness.clusters(1, timeout: 3), now: .milliseconds(280)).isEmpty)
        #expect(core.releaseDue(now: .milliseconds(300)).isEmpty)
        #expect(core.releaseDue(now: .milliseconds(379)).isEmpty)
        #expect(core.nextReleaseDeadline == .milliseconds(380))
        let quiet = core.releaseDue(now: .milliseconds(380))
        #expect(quiet.count == 1)
        Harness.settle(core, Harness.completeAll(core, quiet), now: .milliseconds(380))
        #expect(core.nextReleaseDeadline == nil)

        // Maximum delay: a change every 50 ms never leaves 100 ms of quiet; released at 1 s after the first.
        var released: Duration?
        var t = Duration.seconds(2)
        var timeout: Int64 = 4
        while released == nil, t < .seconds(4) {
            _ = core.update(.cluster, Harness.clusters(1, timeout: timeout), now: t)
            timeout += 1
            t += .milliseconds(50)
            if !core.releaseDue(now: t).isEmpty { released = t }
        }
        #expect(released == .seconds(3))
    }

    @Test("convergence is observed from the change to the ACK, on the injected clock")
    func convergenceOnManualClock() {
        let core = Harness.core(clusters: 1)
        _ = Harness.proxies(core, count: 3, edsNames: [])
        let countBefore = core.metrics().convergence.count
        let sent = Harness.completeAll(core, core.update(.cluster, Harness.clusters(1, timeout: 5), now: .seconds(10)))
        Harness.settle(core, sent, now: .seconds(10) + .milliseconds(50))
        let histogram = core.metrics().convergence
        // Three proxies, each ACKing the clusters and the endpoints that follow them.
        #expect(histogram.count - countBefore == 6)
        // 50 ms each on the manual clock.
        #expect(abs(histogram.sum - 0.3) < 1e-9)
    }
}
