import XDSModel
@testable import PushCore

import Testing

/// Delta xDS: only what changed or was removed; nothing the client already holds.
struct DeltaPushTests {
    static func names(_ d: Dispatch<Envelope>) -> [String] { d.payload.delta!.resources.map(\.name) }

    static func ack(_ core: PushCore<Envelope>, _ sent: [Dispatch<Envelope>]) {
        for d in sent {
            let more = core.receive(DeltaDiscoveryRequest(typeURL: d.typeURL, responseNonce: d.nonce), on: d.stream, now: .zero)
            #expect(more.decision == .ack)
            ack(core, Harness.completeAll(core, more.dispatches))
        }
    }

    @Test("initial_resource_versions: resources the client already holds are not sent")
    func honoursInitialResourceVersions() {
        let core = Harness.core(clusters: 3)
        let held = core.snapshot(of: .cluster).entries["c1"]!.encoded.version.rawValue
        let id = StreamID(1)
        core.open(id, kind: .delta)
        let request = DeltaDiscoveryRequest(
            typeURL: .cluster, resourceNamesSubscribe: ["*"], initialResourceVersions: ["c1": held, "gone": "x"])
        let sent = Harness.completeAll(core, core.receive(request, on: id, now: .zero).dispatches)
        #expect(sent.count == 1)
        #expect(Self.names(sent[0]) == ["c0", "c2"])
        // What it held but the server no longer has is removed.
        #expect(sent[0].payload.delta?.removedResources == ["gone"])
    }

    @Test("a change sends only the changed and the removed resources")
    func onlyChangedAndRemoved() {
        let core = Harness.core(clusters: 4)
        let ids = [StreamID(1), StreamID(2)]
        for id in ids {
            core.open(id, kind: .delta)
            let sent = Harness.completeAll(core, core.receive(DeltaDiscoveryRequest(typeURL: .cluster), on: id, now: .zero).dispatches)
            #expect(sent.count == 1)
            #expect(Self.names(sent[0]).count == 4)
            Self.ack(core, sent)
        }
        var next = Harness.clusters(4)
        next[1] = Harness.cluster("c1", timeout: 99)
        next.removeLast()
        let sent = Harness.completeAll(core, core.update(.cluster, next, now: .zero))
        #expect(sent.count == 2)
        for d in sent {
            #expect(Self.names(d) == ["c1"])
            #expect(d.payload.delta?.removedResources == ["c3"])
            #expect(d.payload === sent[0].payload)
        }
        Self.ack(core, sent)
        // Nothing changed: nothing sent.
        #expect(core.update(.cluster, next, now: .zero).isEmpty)
    }

    @Test("a delta stream subscribed by name gets only its names")
    func byNameSubscription() {
        let core = Harness.core(assignments: 3)
        let id = StreamID(7)
        core.open(id, kind: .delta)
        let sent = Harness.completeAll(core, core.receive(
            DeltaDiscoveryRequest(typeURL: .endpoint, resourceNamesSubscribe: ["c2"]), on: id, now: .zero).dispatches)
        #expect(sent.map(Self.names) == [["c2"]])
        Self.ack(core, sent)
        var next = Harness.assignments(3)
        next[0] = Harness.endpoints("c0", port: 1)
        #expect(core.update(.endpoint, next, now: .zero).isEmpty)
        next[2] = Harness.endpoints("c2", port: 2)
        let changed = core.update(.endpoint, next, now: .zero)
        #expect(changed.map(Self.names) == [["c2"]])
    }
}
