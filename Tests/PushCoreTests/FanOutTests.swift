import XDSModel
@testable import PushCore

import Testing

/// Encode once, share the envelope, push only what changed to whom it concerns.
struct FanOutTests {
    @Test("each changed resource is encoded once, whatever the number of streams", arguments: [1, 10, 200])
    func encodingsIndependentOfN(_ streams: Int) {
        let counter = CountingCodec()
        let core = PushCore(codec: counter.codec)
        _ = core.update(.cluster, Harness.clusters(20), now: .zero)
        _ = core.update(.endpoint, Harness.assignments(20), now: .zero)
        _ = Harness.proxies(core, count: streams, edsNames: (0..<20).map { "c\($0)" })
        let before = core.metrics()
        #expect(before.encodings == 40)

        // Every cluster changes; one assignment changes.
        let full = Harness.completeAll(core, core.update(.cluster, Harness.clusters(20, timeout: 11), now: .zero))
        var assignments = Harness.assignments(20)
        assignments[3] = Harness.endpoints("c3", port: 81)
        let incremental = Harness.completeAll(core, core.update(.endpoint, assignments, now: .zero))
        let after = core.metrics()
        #expect(after.encodings - before.encodings == 21)
        // One CDS envelope and one EDS envelope for every stream after the cluster change (istiod
        // follows CDS with endpoints), one for the endpoint change; distinct responses, not streams.
        #expect(after.envelopeEncodings - before.envelopeEncodings <= 3)
        #expect(full.count == 2 * streams)
        #expect(incremental.count == streams)
        #expect(counter.resourceEncodings.load(ordering: .relaxed) == after.encodings)
    }

    @Test("streams that get the same response share one envelope and nonce")
    func envelopeShared() {
        let core = Harness.core(clusters: 3)
        _ = Harness.proxies(core, count: 5, edsNames: [])
        let dispatches = Harness.completeAll(core, core.update(.cluster, Harness.clusters(3, timeout: 12), now: .zero))
            .filter { $0.typeURL == .cluster }
        #expect(dispatches.count == 5)
        let first = dispatches[0]
        for d in dispatches {
            #expect(d.payload === first.payload)
            #expect(d.nonce == first.nonce)
        }
        #expect(first.payload.sotw?.resources.count == 3)
    }

    @Test("an endpoint change goes only to the streams watching it, and carries only it")
    func incrementalEDSOnlyToWatchers() {
        let core = Harness.core(clusters: 3, assignments: 3)
        let a = Harness.proxies(core, count: 2, first: 1, edsNames: ["c0", "c1"])
        let b = Harness.proxies(core, count: 2, first: 10, edsNames: ["c2"])
        var assignments = Harness.assignments(3)
        assignments[0] = Harness.endpoints("c0", port: 99)
        let sent = Harness.completeAll(core, core.update(.endpoint, assignments, now: .zero))
        #expect(Set(sent.map(\.stream)) == Set(a))
        for d in sent {
            #expect(d.typeURL == .endpoint)
            #expect(d.payload.sotw?.resources.count == 1)
        }
        #expect(b.allSatisfy { id in !sent.contains { $0.stream == id } })
    }

    @Test("a NACKed response is not sent again; the next change is")
    func nackNotResent() {
        let core = Harness.core(clusters: 2)
        let id = StreamID(1)
        core.open(id, kind: .stateOfTheWorld)
        let first = Harness.completeAll(core, core.receive(DiscoveryRequest(typeURL: .cluster), on: id, now: .zero).dispatches)
        #expect(first.count == 1)
        let nack = DiscoveryRequest(
            versionInfo: .none, typeURL: .cluster, responseNonce: first[0].nonce,
            errorDetail: RPCStatus(code: 3, message: "rejected"))
        let reception = core.receive(nack, on: id, now: .zero)
        #expect(reception.decision == .nack(RPCStatus(code: 3, message: "rejected")))
        #expect(reception.dispatches.isEmpty)
        #expect(core.metrics().nacks["CDS"] == 1)
        #expect(core.connections()[0].watches[.cluster]?.lastNack?.message == "rejected")
        let next = core.update(.cluster, Harness.clusters(2, timeout: 30), now: .zero)
        #expect(next.count == 1)
    }
}
