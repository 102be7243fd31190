import XDSModel
@testable import PushCore

import Testing

/// The state-of-the-world plan cache: streams with equal subscriptions share one plan and one
/// interned name set; a changed subscription or snapshot never reuses a stale plan.
struct PlanCacheTests {
    @Test("streams with equal EDS subscriptions (in any order) share one envelope and nonce")
    func equalSubscriptionsShare() {
        let core = Harness.core(clusters: 4, assignments: 4)
        // Same names in different orders: equal sets.
        _ = Harness.proxies(core, count: 3, edsNames: ["c0", "c1", "c2"])
        _ = Harness.proxies(core, count: 3, first: 4, edsNames: ["c2", "c0", "c1"])
        let before = core.metrics().envelopeEncodings
        let eds = Harness.completeAll(core, core.update(.cluster, Harness.clusters(4, timeout: 11), now: .zero))
            .filter { $0.typeURL == .endpoint }
        #expect(eds.count == 6)
        for d in eds {
            #expect(d.payload === eds[0].payload)
            #expect(d.nonce == eds[0].nonce)
            #expect(d.payload.sotw?.resources.count == 3)
        }
        // Six streams, one new CDS envelope; the EDS snapshot did not change, so its envelope is
        // the one already encoded when the streams subscribed.
        #expect(core.metrics().envelopeEncodings - before == 1)
        let sets = core.connections().compactMap { $0.watches[.endpoint]?.names }
        #expect(sets.count == 6)
        #expect(Set(sets).count == 1)
    }

    @Test("a changed subscription gets its own plan, not the one cached for its old names")
    func changedSubscriptionNotStale() {
        let core = Harness.core(clusters: 4, assignments: 4)
        let ids = Harness.proxies(core, count: 2, edsNames: ["c0", "c1"])
        // Push once so a plan for {c0, c1} is cached in this snapshot.
        let first = Harness.completeAll(core, core.update(.cluster, Harness.clusters(4, timeout: 11), now: .zero))
        Harness.settle(core, first)
        // Stream 2 grows its subscription within the same snapshot: it must get c0, c1, c3.
        let grown = core.connections().first { $0.stream == ids[1] }!.watches[.endpoint]!
        let request = DiscoveryRequest(
            versionInfo: grown.sentVersion!, resourceNames: ["c0", "c1", "c3"], typeURL: .endpoint,
            responseNonce: grown.sentNonce!)
        let reception = core.receive(request, on: ids[1], now: .zero)
        #expect(reception.decision == .respond)
        let sent = Harness.completeAll(core, reception.dispatches)
        #expect(sent.count == 1)
        #expect(sent[0].payload.sotw?.resources.count == 3)
        Harness.settle(core, sent)
        // The next full push: stream 1 keeps two names, stream 2 gets three; different envelopes.
        let next = Harness.completeAll(core, core.update(.cluster, Harness.clusters(4, timeout: 12), now: .zero))
            .filter { $0.typeURL == .endpoint }
        let byStream = Dictionary(uniqueKeysWithValues: next.map { ($0.stream, $0) })
        #expect(byStream[ids[0]]?.payload.sotw?.resources.count == 2)
        #expect(byStream[ids[1]]?.payload.sotw?.resources.count == 3)
        #expect(byStream[ids[0]]?.nonce != byStream[ids[1]]?.nonce)
    }

    @Test("a plan is not reused after the snapshot changes")
    func newSnapshotNewPlan() {
        let core = Harness.core(clusters: 3, assignments: 3)
        _ = Harness.proxies(core, count: 2, edsNames: ["c0", "c1", "c2"])
        let one = Harness.completeAll(core, core.update(.cluster, Harness.clusters(3, timeout: 11), now: .zero))
        Harness.settle(core, one)
        // c2's assignment goes away: the next full push must carry only c0 and c1.
        _ = Harness.completeAll(core, core.update(.endpoint, Harness.assignments(2), now: .zero))
        let two = Harness.completeAll(core, core.update(.cluster, Harness.clusters(3, timeout: 12), now: .zero))
            .filter { $0.typeURL == .endpoint }
        #expect(two.count == 2)
        for d in two { #expect(d.payload.sotw?.resources.count == 2) }
    }

    @Test("an endpoint change is cut once per subscription; closed and moved streams are no longer visited")
    func incrementalPlanPerSubscription() {
        let core = Harness.core(clusters: 3, assignments: 3)
        let shared = Harness.proxies(core, count: 3, edsNames: ["c0", "c1"])
        let other = Harness.proxies(core, count: 1, first: 10, edsNames: ["c0", "c2"])
        _ = core.close(shared[2])
        // Stream 10 moves off c0: it must not be visited for a c0 change any more.
        let watch = core.connections().first { $0.stream == other[0] }!.watches[.endpoint]!
        let moved = DiscoveryRequest(
            versionInfo: watch.sentVersion!, resourceNames: ["c2"], typeURL: .endpoint, responseNonce: watch.sentNonce!)
        #expect(core.receive(moved, on: other[0], now: .zero).decision == .ack)
        let before = core.metrics().envelopeEncodings
        var assignments = Harness.assignments(3)
        assignments[0] = Harness.endpoints("c0", port: 99)
        let sent = Harness.completeAll(core, core.update(.endpoint, assignments, now: .zero))
        #expect(Set(sent.map(\.stream)) == Set(shared.prefix(2)))
        for d in sent {
            #expect(d.payload === sent[0].payload)
            #expect(d.payload.sotw?.resources.count == 1)
        }
        #expect(core.metrics().envelopeEncodings - before == 1)
    }
}
