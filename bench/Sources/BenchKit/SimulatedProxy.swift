import XDSModel

/// One simulated sidecar's ADS exchange (state of the world), as Envoy runs it: a wildcard CDS
/// request; on each CDS response, an EDS request for the clusters' assignments if the set of
/// names changed (sent before the CDS ACK, as Envoy does while the clusters warm), then the ACK;
/// on each EDS response, the ACK. Pure: responses in, requests out.
public struct SimulatedProxy: Sendable {
    /// What the proxy last ACKed for a type, and when (CLOCK_MONOTONIC nanoseconds).
    public struct Acked: Sendable, Equatable {
        public var version: String
        public var nonce: String
        public var at: Int64
    }

    /// A request to send. Requests equal across proxies (every ACK of one response) are encoded
    /// once: `key` identifies the bytes.
    public struct Request: Sendable, Hashable {
        public var typeURL: TypeURL
        public var versionInfo: String
        public var nonce: String
        /// The EDS names, identified by the CDS response they came from (empty for CDS).
        public var names: ClusterNames?
    }

    public private(set) var cds: Acked?
    public private(set) var eds: Acked?
    /// The EDS subscription, as last requested.
    public private(set) var subscribed: ClusterNames?

    public init() {}

    /// The first request of the stream.
    public static let initialRequest = Request(typeURL: .cluster, versionInfo: "", nonce: "", names: nil)

    /// Handles one response. `names` gives the cluster names a CDS response carries (decoded once per
    /// distinct payload by the caller's cache).
    public mutating func receive(
        _ scan: ResponseScan, at now: Int64, names: (ResponseScan) -> ClusterNames?
    ) -> [Request] {
        switch TypeURL(scan.typeURL) {
        case .cluster:
            var out: [Request] = []
            if let clusterNames = names(scan), clusterNames.names != subscribed?.names {
                subscribed = clusterNames
                out.append(Request(
                    typeURL: .endpoint, versionInfo: eds?.version ?? "", nonce: eds?.nonce ?? "", names: clusterNames))
            }
            cds = Acked(version: scan.versionInfo, nonce: scan.nonce, at: now)
            out.append(Request(typeURL: .cluster, versionInfo: scan.versionInfo, nonce: scan.nonce, names: nil))
            return out
        case .endpoint:
            eds = Acked(version: scan.versionInfo, nonce: scan.nonce, at: now)
            return [Request(typeURL: .endpoint, versionInfo: scan.versionInfo, nonce: scan.nonce, names: subscribed)]
        default:
            return []
        }
    }

    /// When the proxy reached `expectation`, or nil if it has not (yet).
    public func converged(to expectation: Expectation) -> Int64? {
        var latest = expectation.since
        let types = [(cds, expectation.cds, expectation.freshCDS), (eds, expectation.eds, expectation.freshEDS)]
        for (acked, version, fresh) in types {
            guard let acked, acked.version == version else { return nil }
            if fresh {
                guard acked.at >= expectation.since else { return nil }
                latest = max(latest, acked.at)
            }
        }
        return latest
    }
}

/// The cluster names of one CDS response, tagged with the response they came from so equal
/// subscriptions are recognised (and their requests encoded once) without comparing lists.
public struct ClusterNames: Sendable, Hashable {
    public let source: String
    public let names: [String]
    public init(source: String, names: [String]) {
        self.source = source
        self.names = names
    }
    public static func == (a: ClusterNames, b: ClusterNames) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }
}

/// What every proxy should end a scenario with: these versions ACKed, and for `fresh` types an ACK
/// sent after `since` (the response was pushed again, even at an unchanged version, as istiod
/// re-sends endpoints after a cluster change).
public struct Expectation: Sendable, Equatable {
    public var cds: String
    public var eds: String
    public var freshCDS: Bool
    public var freshEDS: Bool
    /// CLOCK_MONOTONIC nanoseconds when the change was made.
    public var since: Int64

    public init(cds: String, eds: String, freshCDS: Bool, freshEDS: Bool, since: Int64) {
        self.cds = cds
        self.eds = eds
        self.freshCDS = freshCDS
        self.freshEDS = freshEDS
        self.since = since
    }

    /// One line of the parent → load generator protocol.
    public var line: String { "expect \(cds) \(eds) \(freshCDS ? 1 : 0) \(freshEDS ? 1 : 0) \(since)" }

    public init?(line: some StringProtocol) {
        let f = line.split(separator: " ")
        guard f.count == 6, f[0] == "expect", let since = Int64(f[5]) else { return nil }
        self.init(cds: String(f[1]), eds: String(f[2]), freshCDS: f[3] == "1", freshEDS: f[4] == "1", since: since)
    }
}
