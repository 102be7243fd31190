import Synchronization
import XDSModel
@testable import PushCore

/// A response as the test codec "encodes" it: the value itself, in a class so tests can see that
/// streams share one envelope (`===`), not merely equal ones.
final class Envelope: Sendable {
    let sotw: DiscoveryResponse?
    let delta: DeltaDiscoveryResponse?
    init(sotw: DiscoveryResponse? = nil, delta: DeltaDiscoveryResponse? = nil) {
        self.sotw = sotw
        self.delta = delta
    }
}

/// Counts calls, so tests can prove what was encoded how many times.
final class CountingCodec: Sendable {
    let resourceEncodings = Atomic<Int>(0)

    var codec: PushCodec<Envelope> {
        PushCodec(
            encodeResource: { [self] resource in
                resourceEncodings.add(1, ordering: .relaxed)
                // Distinct values must give distinct bytes: their description is enough here.
                return Array(String(describing: resource).utf8)
            },
            encodeResponse: { Envelope(sotw: $0) },
            encodeDeltaResponse: { Envelope(delta: $0) })
    }
}

/// Fixtures and a few proxy moves, on a manual clock (`now` is passed explicitly).
enum Harness {
    static func cluster(_ name: String, timeout: Int64 = 10) -> XDSResource {
        .cluster(Cluster(name: name, connectTimeout: ProtoDuration(seconds: timeout)))
    }

    static func endpoints(_ name: String, port: UInt32 = 80) -> XDSResource {
        .endpoint(ClusterLoadAssignment(
            clusterName: name,
            endpoints: [LocalityLbEndpoints(lbEndpoints: [LbEndpoint(address: SocketAddress(address: "10.0.0.1", portValue: port))])]))
    }

    /// A core (test codec) with `clusters` clusters and `assignments` endpoint assignments named
    /// c0, c1, … already published, and no stream yet. A type with a count of 0 is not published.
    static func core(clusters: Int = 0, assignments: Int = 0, maxSendsInFlight: Int = 1024) -> PushCore<Envelope> {
        let core = PushCore(codec: CountingCodec().codec, maxSendsInFlight: maxSendsInFlight)
        if clusters > 0 { _ = core.update(.cluster, Self.clusters(clusters), now: .zero) }
        if assignments > 0 { _ = core.update(.endpoint, Self.assignments(assignments), now: .zero) }
        return core
    }

    static func clusters(_ count: Int, timeout: Int64 = 10) -> [XDSResource] {
        (0..<count).map { cluster("c\($0)", timeout: timeout) }
    }

    static func assignments(_ count: Int, port: UInt32 = 80) -> [XDSResource] {
        (0..<count).map { endpoints("c\($0)", port: port) }
    }

    /// The request a proxy sends to ACK `dispatch` (state of the world).
    static func ack(_ dispatch: Dispatch<Envelope>, names: [String] = []) -> DiscoveryRequest {
        DiscoveryRequest(
            versionInfo: dispatch.payload.sotw!.versionInfo, resourceNames: names, typeURL: dispatch.typeURL,
            responseNonce: dispatch.nonce)
    }

    /// Completes every send in `dispatches` and everything they release, as a transport that writes
    /// instantly would; returns every dispatch seen, in order.
    static func completeAll(_ core: PushCore<Envelope>, _ dispatches: [Dispatch<Envelope>]) -> [Dispatch<Envelope>] {
        var seen: [Dispatch<Envelope>] = []
        var work = dispatches
        while !work.isEmpty {
            let next = work.removeFirst()
            seen.append(next)
            work += core.sendCompleted(next.stream)
        }
        return seen
    }

    /// Opens `count` state-of-the-world streams that each subscribe to CDS (wildcard) and to EDS by
    /// `edsNames`, and ACK everything; returns their IDs.
    static func proxies(_ core: PushCore<Envelope>, count: Int, first: UInt64 = 1, edsNames: [String], now: Duration = .zero) -> [StreamID] {
        (0..<UInt64(count)).map { i in
            let id = StreamID(first + i)
            core.open(id, kind: .stateOfTheWorld)
            settle(core, completeAll(core, core.receive(DiscoveryRequest(typeURL: .cluster), on: id, now: now).dispatches), now: now)
            settle(core, completeAll(core, core.receive(DiscoveryRequest(resourceNames: edsNames, typeURL: .endpoint), on: id, now: now).dispatches), now: now)
            return id
        }
    }

    /// ACKs every dispatch (with the stream's EDS names, taken from its watch).
    static func settle(_ core: PushCore<Envelope>, _ dispatches: [Dispatch<Envelope>], now: Duration = .zero) {
        for d in dispatches {
            let names = core.connections().first { $0.stream == d.stream }?.watches[d.typeURL]?.names.sorted() ?? []
            let more = core.receive(ack(d, names: d.typeURL == .endpoint ? names : []), on: d.stream, now: now).dispatches
            settle(core, completeAll(core, more), now: now)
        }
    }
}
