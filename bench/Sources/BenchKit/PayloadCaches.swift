import Synchronization
import XDSModel
import XDSTransport
import XDSWire

/// Cluster names by CDS response, decoded once per distinct payload however many proxies receive
/// it (the server sends one envelope, with one nonce, to every stream that gets the same response).
/// Shared by every proxy of a load generator; `decodes` proves the sharing.
public final class ClusterNameCache: Sendable {
    private let entries = Mutex<[String: ClusterNames]>([:])
    private let decodeCount = Atomic<Int>(0)

    public init() {}

    /// Full decodes so far.
    public var decodes: Int { decodeCount.load(ordering: .relaxed) }

    public func names(of scan: ResponseScan, bytes: [UInt8]) -> ClusterNames? {
        let key = "\(scan.nonce)|\(scan.versionInfo)|\(bytes.count)"
        return entries.withLock { entries in
            if let hit = entries[key] { return hit }
            // Decoded under the lock so each payload is decoded exactly once.
            guard let response = try? DiscoveryResponse(wireBytes: bytes) else { return nil }
            decodeCount.add(1, ordering: .relaxed)
            let names = response.resources.compactMap { any -> String? in
                guard let cluster = try? Cluster(wireBytes: any.value) else { return nil }
                return cluster.edsServiceName.isEmpty ? cluster.name : cluster.edsServiceName
            }
            let value = ClusterNames(source: key, names: names.sorted())
            entries[key] = value
            return value
        }
    }
}

/// Encoded requests by content: every proxy ACKing one response sends the same bytes, so they are
/// encoded once and the payload is shared. A stream's first request carries its node and is not
/// cached.
public final class RequestCache: Sendable {
    private let entries = Mutex<[SimulatedProxy.Request: Payload]>([:])

    public init() {}

    public func payload(for request: SimulatedProxy.Request, node: Node?) -> Payload {
        if let node { return Payload(Self.encode(request, node: node)) }
        return entries.withLock { entries in
            if let hit = entries[request] { return hit }
            let payload = Payload(Self.encode(request, node: nil))
            // Bounded: a scenario has a handful of distinct ACKs; drop them all if that ever grows.
            if entries.count > 4096 { entries.removeAll() }
            entries[request] = payload
            return payload
        }
    }

    static func encode(_ request: SimulatedProxy.Request, node: Node?) -> [UInt8] {
        DiscoveryRequest(
            versionInfo: ResourceVersion(request.versionInfo), node: node,
            resourceNames: request.names?.names ?? [], typeURL: request.typeURL,
            responseNonce: Nonce(request.nonce)
        ).wireBytes()
    }
}
