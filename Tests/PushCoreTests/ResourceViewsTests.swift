import XDSModel
@testable import PushCore

import Testing

/// Resources that differ by proxy (listeners): one set per view, streams filed under their node's
/// view. Each distinct resource is still encoded once, each response once per view.
struct ResourceViewsTests {
    static func listener(_ name: String, port: UInt32 = 80) -> XDSResource {
        .listener(Listener(name: name, address: SocketAddress(address: "0.0.0.0", portValue: port)))
    }

    /// Views by the node id: `a…` and `b…` nodes.
    static func views(_ a: [XDSResource], _ b: [XDSResource]) -> ResourceViews {
        ResourceViews(resources: ["a": a, "b": b]) { node in String(node?.id.prefix(1) ?? "") }
    }

    static func subscribe(_ core: PushCore<Envelope>, _ id: StreamID, node: String, kind: StreamKind = .stateOfTheWorld) -> [Dispatch<Envelope>] {
        core.open(id, kind: kind)
        let node = Node(id: node)
        let dispatches = kind == .delta
            ? core.receive(DeltaDiscoveryRequest(node: node, typeURL: .listener), on: id, now: .zero).dispatches
            : core.receive(DiscoveryRequest(node: node, typeURL: .listener), on: id, now: .zero).dispatches
        return Harness.completeAll(core, dispatches)
    }

    @Test("a resource shared by views is encoded once; each stream gets its own view; equal views share the envelope")
    func sharedEncodingsAndPerViewResponses() {
        let codec = CountingCodec()
        let core = PushCore(codec: codec.codec)
        _ = core.update(.listener, views: Self.views([Self.listener("shared"), Self.listener("only-a")],
                                                     [Self.listener("shared"), Self.listener("only-b", port: 81)]), now: .zero)
        #expect(codec.resourceEncodings.load(ordering: .relaxed) == 3)
        let a1 = Self.subscribe(core, StreamID(1), node: "a1")
        let a2 = Self.subscribe(core, StreamID(2), node: "a2")
        let b1 = Self.subscribe(core, StreamID(3), node: "b1")
        #expect(a1.count == 1 && a2.count == 1 && b1.count == 1)
        #expect(a1[0].payload === a2[0].payload, "one view, one envelope")
        #expect(a1[0].payload !== b1[0].payload)
        #expect(a1[0].payload.sotw?.resources.count == 2 && b1[0].payload.sotw?.resources.count == 2)
        #expect(core.snapshot(of: .listener, view: "a").entries.keys.sorted() == ["only-a", "shared"])
        #expect(core.snapshot(of: .listener, view: "b").entries.keys.sorted() == ["only-b", "shared"])
        #expect(core.snapshot(of: .listener).entries.keys.sorted() == ["only-a", "only-b", "shared"], "readers see every view")
    }

    @Test("a change to one view goes only to its streams")
    func changeReachesOnlyItsView() {
        let codec = CountingCodec()
        let core = PushCore(codec: codec.codec)
        _ = core.update(.listener, views: Self.views([Self.listener("l")], [Self.listener("l")]), now: .zero)
        for (i, node) in ["a1", "b1"].enumerated() {
            Harness.settle(core, Self.subscribe(core, StreamID(UInt64(i + 1)), node: node))
        }
        let before = codec.resourceEncodings.load(ordering: .relaxed)
        let sent = Harness.completeAll(core, core.update(
            .listener, views: Self.views([Self.listener("l")], [Self.listener("l", port: 90)]), now: .zero))
        #expect(sent.map(\.stream) == [StreamID(2)])
        #expect(codec.resourceEncodings.load(ordering: .relaxed) == before + 1, "only the changed listener is encoded")
    }

    @Test("a stream whose node maps to another view moves there and gets it whole")
    func nodeMovesToItsNewView() {
        let core = PushCore(codec: CountingCodec().codec)
        _ = core.update(.listener, views: Self.views([Self.listener("l")], [Self.listener("m")]), now: .zero)
        Harness.settle(core, Self.subscribe(core, StreamID(1), node: "a1"))
        // Same resources, new mapping: every node is now in view b.
        let moved = ResourceViews(resources: ["a": [Self.listener("l")], "b": [Self.listener("m")]]) { _ in "b" }
        let sent = Harness.completeAll(core, core.update(.listener, views: moved, now: .zero))
        #expect(sent.count == 1 && sent[0].payload.sotw?.resources.count == 1)
        #expect(sent[0].payload.sotw?.versionInfo == core.snapshot(of: .listener, view: "b").version)
    }

    @Test("delta streams get their view's resources, and later only its changes")
    func deltaPerView() {
        let core = PushCore(codec: CountingCodec().codec)
        _ = core.update(.listener, views: Self.views([Self.listener("l"), Self.listener("x")], [Self.listener("m")]), now: .zero)
        let first = Self.subscribe(core, StreamID(1), node: "b1", kind: .delta)
        #expect(first.count == 1 && first[0].payload.delta?.resources.map(\.name) == ["m"])
        DeltaPushTests.ack(core, first)
        let sent = Harness.completeAll(core, core.update(
            .listener, views: Self.views([Self.listener("l")], [Self.listener("m"), Self.listener("n")]), now: .zero))
        #expect(sent.count == 1 && sent[0].payload.delta?.resources.map(\.name) == ["n"])
        #expect(sent[0].payload.delta?.removedResources == [])
    }

    @Test("a cluster change in one view is followed by the endpoints only on that view's streams")
    func clusterChangeFollowedByEndpointsInItsViewOnly() {
        let core = PushCore(codec: CountingCodec().codec)
        let clusters = { (timeout: Int64) in
            ResourceViews(resources: ["a": [Harness.cluster("c0", timeout: timeout)], "b": [Harness.cluster("c0")]]) { node in
                String(node?.id.prefix(1) ?? "")
            }
        }
        _ = core.update(.cluster, views: clusters(10), now: .zero)
        _ = core.update(.endpoint, [Harness.endpoints("c0")], now: .zero)
        for (i, node) in ["a1", "b1"].enumerated() {
            let id = StreamID(UInt64(i + 1))
            core.open(id, kind: .stateOfTheWorld)
            let cds = core.receive(DiscoveryRequest(node: Node(id: node), typeURL: .cluster), on: id, now: .zero).dispatches
            Harness.settle(core, Harness.completeAll(core, cds))
            let eds = core.receive(DiscoveryRequest(resourceNames: ["c0"], typeURL: .endpoint), on: id, now: .zero).dispatches
            Harness.settle(core, Harness.completeAll(core, eds))
        }
        let sent = Harness.completeAll(core, core.update(.cluster, views: clusters(20), now: .zero))
        #expect(sent.map(\.stream) == [StreamID(1), StreamID(1)] && sent.map(\.typeURL) == [.cluster, .endpoint])
    }

    @Test("publishing a type whole again ends its views: every stream gets the shared set")
    func wholeUpdateEndsViews() {
        let core = PushCore(codec: CountingCodec().codec)
        _ = core.update(.listener, views: Self.views([Self.listener("l")], [Self.listener("m")]), now: .zero)
        Harness.settle(core, Self.subscribe(core, StreamID(1), node: "a1"))
        let sent = Harness.completeAll(core, core.update(.listener, [Self.listener("z")], now: .zero))
        #expect(sent.count == 1 && sent[0].payload.sotw?.resources.count == 1)
        #expect(core.snapshot(of: .listener).entries.keys.sorted() == ["z"])
    }
}
