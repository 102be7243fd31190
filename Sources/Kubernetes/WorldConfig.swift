/// The knobs of a world that stay fixed while it runs.
package struct WorldConfig: Hashable, Sendable, Codable {
    /// Seeds every random choice (pod suffixes, UIDs, service IPs), so a test replays exactly.
    package var seed: UInt64
    /// Where pod IPs come from. They are data only: nothing ever dials them.
    package var podCIDR: IPv4Range
    /// Where service cluster IPs come from.
    package var serviceCIDR: IPv4Range
    /// The time between two steps of a pod's life (Pending → ContainerCreating → Running → Ready,
    /// and Terminating → gone). Real kubelets take a few seconds; one second keeps demos snappy.
    package var stepMilliseconds: Int64
    /// The `spec.nodeName` pods are bound to.
    package var nodeName: String
    /// Whether namespaces get `kubernetes.io/metadata.name=<name>` as on Kubernetes ≥ 1.21. Off by
    /// default: the seed scenario's 2020 cluster shows only the user's labels.
    package var labelsNamespaceName: Bool
    /// How long an Event lives after its last write: the API server's `--event-ttl`; nil is its
    /// default, one hour (absent in worlds saved before events were recorded).
    package var eventTTLMilliseconds: Int64?

    package init(
        seed: UInt64 = 0x0005_EED0, podCIDR: IPv4Range = IPv4Range("10.244.0.0/16")!,
        serviceCIDR: IPv4Range = IPv4Range("10.96.0.0/12")!, stepMilliseconds: Int64 = 1000,
        nodeName: String = "xdsemu-node", labelsNamespaceName: Bool = false, eventTTLMilliseconds: Int64? = nil
    ) {
        self.seed = seed
        self.podCIDR = podCIDR
        self.serviceCIDR = serviceCIDR
        self.stepMilliseconds = stepMilliseconds
        self.nodeName = nodeName
        self.labelsNamespaceName = labelsNamespaceName
        self.eventTTLMilliseconds = eventTTLMilliseconds
    }

    /// The event TTL in force, in milliseconds.
    package var eventTTL: Int64 { eventTTLMilliseconds ?? 3_600_000 }
}

/// An IPv4 CIDR block such as `10.244.0.0/16`.
package struct IPv4Range: Hashable, Sendable, Codable, CustomStringConvertible {
    package var base: UInt32
    package var prefixLength: Int

    package init?(_ cidr: String) {
        let parts = cidr.split(separator: "/")
        guard parts.count == 2, let len = Int(parts[1]), (8...30).contains(len),
            let base = Self.parse(String(parts[0]))
        else { return nil }
        self.prefixLength = len
        self.base = base & (UInt32.max << (32 - len))
    }

    package var size: UInt32 { UInt32(1) << (32 - prefixLength) }
    package var description: String { "\(Self.format(base))/\(prefixLength)" }

    package func address(at offset: UInt32) -> String { Self.format(base &+ offset) }

    package static func parse(_ s: String) -> UInt32? {
        let octets = s.split(separator: ".").compactMap { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ $0 < 256 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1 }
    }

    package static func format(_ v: UInt32) -> String {
        "\(v >> 24).\(v >> 16 & 255).\(v >> 8 & 255).\(v & 255)"
    }
}
