import BenchKit
import Synchronization
import PushCore
import XDSModel
import XDSWire

/// A push core with N state-of-the-world streams watching every cluster and assignment of the
/// large world, built once per N and reused across iterations (building 10,000 streams is not what
/// is measured).
final class FanOutFixture: Sendable {
    /// The real protobuf-c encoders; payloads stay plain bytes (no transport).
    static let codec = PushCodec<[UInt8]>(
        encodeResource: { $0.wireBytes() }, encodeResponse: { $0.wireBytes() }, encodeDeltaResponse: { $0.wireBytes() })

    private static let fixtures = Mutex<[Int: FanOutFixture]>([:])

    static func shared(streams: Int) -> FanOutFixture {
        fixtures.withLock { all in
            if let hit = all[streams] { return hit }
            let fixture = FanOutFixture(streams: streams)
            all[streams] = fixture
            return fixture
        }
    }

    let core = PushCore(codec: codec, maxSendsInFlight: 1 << 20)
    private let world = Mutex(BenchWorld.large())

    /// Every assignment's name: what each stream asks EDS for.
    private let names: [String]

    init(streams: Int) {
        let world = BenchWorld.large()
        _ = core.update(.cluster, world.clusters.map(XDSResource.cluster), now: .zero)
        _ = core.update(.endpoint, world.endpoints.map(XDSResource.endpoint), now: .zero)
        names = world.endpoints.map(\.clusterName)
        openStreams(0..<streams)
    }

    /// Opens the streams numbered `range` (from 0); each subscribes to CDS (wildcard) and to EDS
    /// by every name, and gets both responses.
    func openStreams(_ range: Range<Int>) {
        for i in range {
            let id = StreamID(UInt64(i + 1))
            core.open(id, kind: .stateOfTheWorld)
            complete(core.receive(DiscoveryRequest(typeURL: .cluster), on: id, now: .zero).dispatches)
            complete(core.receive(DiscoveryRequest(resourceNames: names, typeURL: .endpoint), on: id, now: .zero).dispatches)
        }
    }

    /// Completes every send at once, as an infinitely fast transport would; returns how many.
    @discardableResult
    func complete(_ dispatches: [Dispatch<[UInt8]>]) -> Int {
        var work = dispatches
        var count = 0
        while let next = work.popLast() {
            count += 1
            work += core.sendCompleted(next.stream)
        }
        return count
    }

    func changeOneEndpoint() -> Int {
        let endpoints = world.withLock { w in
            w.changeOneEndpoint()
            return w.endpoints.map(XDSResource.endpoint)
        }
        return complete(core.update(.endpoint, endpoints, now: .zero))
    }

    func changeEveryCluster() -> Int {
        let clusters = world.withLock { w in
            w.changeEveryCluster()
            return w.clusters.map(XDSResource.cluster)
        }
        return complete(core.update(.cluster, clusters, now: .zero))
    }
}
