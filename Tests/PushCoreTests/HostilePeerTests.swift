import XDSModel
@testable import PushCore

import Testing

/// Peers that stop reading or invent types: what the core keeps for them, and that everyone else
/// carries on. On a manual clock (`now` is passed in).
struct HostilePeerTests {
    static let stalls = StallPolicy(releaseSlotAfter: .seconds(10), endStreamAfter: .seconds(60))

    static func core(maxSendsInFlight: Int) -> PushCore<Envelope> {
        let core = PushCore(codec: CountingCodec().codec, maxSendsInFlight: maxSendsInFlight, stalls: stalls)
        _ = core.update(.cluster, Harness.clusters(1), now: .zero)
        return core
    }

    /// `proxies` subscribed streams on a core with `slots` send slots, and the sends of one
    /// cluster change, none completed yet.
    static func changeOutstanding(slots: Int, proxies: Int) -> (PushCore<Envelope>, [StreamID], [Dispatch<Envelope>]) {
        let core = Self.core(maxSendsInFlight: slots)
        let ids = Harness.proxies(core, count: proxies, edsNames: [])
        return (core, ids, core.update(.cluster, Harness.clusters(1, timeout: 11), now: .zero))
    }

    @Test("a send outstanding past the deadline frees its slot; its stream waits for that send alone")
    func stalledSendFreesItsSlot() {
        let (core, ids, first) = Self.changeOutstanding(slots: 1, proxies: 3)
        #expect(first.count == 1)
        let stuck = first[0].stream
        // The first check sees the send; the one a deadline later finds it stalled and gives its
        // slot to the streams waiting.
        #expect(core.checkStalls(now: .seconds(1)).dispatches.isEmpty)
        let released = core.checkStalls(now: .seconds(11)).dispatches
        #expect(released.count == 1 && released[0].stream != stuck)
        let rest = Harness.completeAll(core, released)
        #expect(Set(rest.map(\.stream)) == Set(ids).subtracting([stuck]))
        #expect(core.metrics().stalledSends == 1 && core.metrics().stalledStreams == 1)

        // Later changes reach the others; the stalled stream gets nothing more while its send is out.
        let again = Harness.completeAll(core, core.update(.cluster, Harness.clusters(1, timeout: 12), now: .seconds(12)))
        #expect(Set(again.map(\.stream)) == Set(ids).subtracting([stuck]))
        // Its send completes: it gets the latest state, which holds the one global slot again.
        let late = core.sendCompleted(stuck)
        #expect(late.map(\.stream) == [stuck])
        #expect(late[0].payload.sotw?.versionInfo == core.snapshot(of: .cluster).version)
        #expect(core.metrics().stalledStreams == 0)
        #expect(core.update(.cluster, Harness.clusters(1, timeout: 13), now: .seconds(13)).isEmpty)
        #expect(core.sendCompleted(stuck).count == 1)
    }

    @Test("a stream stalled past the limit is handed out once to be ended, and counted")
    func stalledStreamIsEnded() {
        let (core, ids, sends) = Self.changeOutstanding(slots: 4, proxies: 2)
        #expect(sends.count == 2)
        _ = Harness.completeAll(core, core.sendCompleted(ids[1]))
        _ = core.checkStalls(now: .zero)
        #expect(core.checkStalls(now: .seconds(30)).expired.isEmpty)
        #expect(core.checkStalls(now: .seconds(60)).expired == [ids[0]])
        #expect(core.checkStalls(now: .seconds(70)).expired.isEmpty)
        #expect(core.metrics().stalledStreamsEnded == 1)
        _ = core.close(ids[0])
        #expect(core.metrics().stalledStreams == 0 && core.metrics().connectedStreams == 1)
    }

    @Test("types the core does not serve are answered empty and leave no state", arguments: [false, true])
    func unknownTypesKeepNoState(delta: Bool) throws {
        let core = Self.core(maxSendsInFlight: 8)
        let id = StreamID(1)
        core.open(id, kind: delta ? .delta : .stateOfTheWorld)
        let before = core.metrics().prometheusText()
        for i in 0..<10_000 {
            let type = TypeURL("type.googleapis.com/invented.v\(i).Thing")
            let reception =
                delta
                ? core.receive(DeltaDiscoveryRequest(typeURL: type), on: id, now: .zero)
                : core.receive(DiscoveryRequest(typeURL: type), on: id, now: .zero)
            #expect(reception.dispatches.isEmpty)
            let reply = try #require(reception.reply)
            #expect((reply.sotw?.typeURL ?? reply.delta?.typeURL) == type)
            #expect(reply.sotw?.resources.isEmpty ?? reply.delta!.resources.isEmpty)
            // Its ACK needs no answer.
            let nonce = reply.sotw?.nonce ?? reply.delta!.nonce
            let ack =
                delta
                ? core.receive(DeltaDiscoveryRequest(typeURL: type, responseNonce: nonce), on: id, now: .zero)
                : core.receive(DiscoveryRequest(typeURL: type, responseNonce: nonce), on: id, now: .zero)
            #expect(ack.reply == nil && ack.dispatches.isEmpty)
        }
        #expect(core.connections().first?.watches.isEmpty == true)
        let metrics = core.metrics()
        #expect(metrics.unknownTypeRequests == 20_000)
        #expect(metrics.pushes.isEmpty && metrics.nacks.isEmpty)
        // One counter moved: the exposition grew by the digits of its value, not a line per type.
        let after = metrics.prometheusText()
        #expect(after.count - before.count == "20000".count - "0".count)
        #expect(after.contains("xdsemu_unknown_type_requests_total 20000\n"))

        // The stream still gets what the core serves.
        let clusters =
            delta
            ? core.receive(DeltaDiscoveryRequest(typeURL: .cluster), on: id, now: .zero)
            : core.receive(DiscoveryRequest(typeURL: .cluster), on: id, now: .zero)
        #expect(clusters.dispatches.count == 1)
        #expect(core.connections().first?.watches.keys.map { $0 } == [.cluster])
    }
}
