import XDSModel
import XDSServer
import XDSTransport
import XDSWire

/// The three scenarios of the issue.
public enum Scenario: String, Sendable, CaseIterable, Codable {
    /// N proxies connect at once and get the full state.
    case connectStorm = "connect-storm"
    /// Every cluster changes; every proxy gets new clusters and, as from istiod, its endpoints again.
    case fullPush = "full-push"
    /// One endpoint of one service changes; the proxies watching it get that assignment only.
    case incremental
}

/// A server under test: the real control plane, or the raw baseline. Either holds the world and
/// applies each scenario's change, returning what every proxy must end with.
public protocol BenchServer: Sendable {
    var port: Int { get }
    /// What a proxy that just connected must reach (for the connect storm).
    func initialExpectation(since: Int64) -> Expectation
    /// Makes the scenario's change (`world` is advanced) and stamps `since` just before it.
    func apply(_ scenario: Scenario, world: inout BenchWorld) -> Expectation
    /// Pushes the change `scenario` has just made to `world` (a full push or an incremental one),
    /// stamping `since` just before the push itself, after any work done up front; returns the
    /// versions every proxy must end with.
    func push(_ scenario: Scenario, of world: BenchWorld) -> (since: Int64, cds: String, eds: String)
    /// Resources encoded so far (the raw baseline encodes nothing on the push path: 0).
    var encodings: Int { get }
    func stop() async
}

extension BenchServer {
    public func apply(_ scenario: Scenario, world: inout BenchWorld) -> Expectation {
        switch scenario {
        case .connectStorm: return initialExpectation(since: ProcessReadings.monotonicNanos())
        case .fullPush: world.changeEveryCluster()
        case .incremental: world.changeOneEndpoint()
        }
        let pushed = push(scenario, of: world)
        return Expectation(
            cds: pushed.cds, eds: pushed.eds, freshCDS: scenario == .fullPush, freshEDS: true, since: pushed.since)
    }
}

/// xdsemu's `XDSServer`: every push goes through `PushCore`. Debounce off, so convergence
/// measures the push path, not a deliberate delay.
public final class ControlPlaneServer: BenchServer {
    public let server: XDSServer

    public init(world: BenchWorld, maxSendsInFlight: Int = 1024) throws(TransportError) {
        server = try XDSServer(configuration: .init(
            host: "127.0.0.1", port: 0, debounce: .off, maxSendsInFlight: maxSendsInFlight))
        server.update(clusters: world.clusters, endpoints: world.endpoints)
    }

    public var port: Int { server.port }
    public var encodings: Int { server.metrics().encodings }

    public func initialExpectation(since: Int64) -> Expectation {
        Expectation(cds: version(.cluster), eds: version(.endpoint), freshCDS: true, freshEDS: true, since: since)
    }

    public func push(_ scenario: Scenario, of world: BenchWorld) -> (since: Int64, cds: String, eds: String) {
        let since: Int64
        if scenario == .incremental {
            let endpoints = world.endpoints.map(XDSResource.endpoint)
            since = ProcessReadings.monotonicNanos()
            server.update(.endpoint, endpoints)
        } else {
            let clusters = world.clusters.map(XDSResource.cluster)
            since = ProcessReadings.monotonicNanos()
            server.update(.cluster, clusters)
        }
        return (since, version(.cluster), version(.endpoint))
    }

    func version(_ type: TypeURL) -> String { server.snapshot(of: type).version.rawValue }

    public func stop() async { await server.stop() }
}

/// The raw baseline (`RawServer`) with responses encoded before the clock starts: the same
/// resources in the same envelopes, so the bytes on the wire match the control plane's.
public final class RawBaselineServer: BenchServer {
    let raw: RawServer
    private let initialVersions: (cds: String, eds: String)

    public init(world: BenchWorld) throws(TransportError) {
        initialVersions = ("raw-c0", "raw-e0")
        raw = try RawServer(initial: [
            Payload(Self.response(.cluster, world.clusters.map { $0.wireBytes() }, version: "raw-c0")),
            Payload(Self.response(.endpoint, world.endpoints.map { $0.wireBytes() }, version: "raw-e0")),
        ])
    }

    public var port: Int { raw.port }
    public var encodings: Int { 0 }

    public func initialExpectation(since: Int64) -> Expectation {
        Expectation(cds: initialVersions.cds, eds: initialVersions.eds, freshCDS: true, freshEDS: true, since: since)
    }

    /// Every response is encoded before the clock starts; an incremental change sends only the
    /// changed assignment, and the full state replaces what a new proxy gets first.
    public func push(_ scenario: Scenario, of world: BenchWorld) -> (since: Int64, cds: String, eds: String) {
        let cdsVersion = "raw-c\(world.clusterGeneration)", edsVersion = "raw-e\(world.endpointGeneration)"
        let cds = Payload(Self.response(.cluster, world.clusters.map { $0.wireBytes() }, version: cdsVersion))
        let eds = Payload(Self.response(.endpoint, world.endpoints.map { $0.wireBytes() }, version: edsVersion))
        let sent = scenario == .incremental
            ? [Payload(Self.response(.endpoint, [world.endpoints[0].wireBytes()], version: edsVersion))]
            : [cds, eds]
        let since = ProcessReadings.monotonicNanos()
        raw.push(sent, replacingInitial: [cds, eds])
        return (since, cdsVersion, edsVersion)
    }

    static func response(_ type: TypeURL, _ resources: [[UInt8]], version: String) -> [UInt8] {
        DiscoveryResponse(
            versionInfo: ResourceVersion(version),
            resources: resources.map { AnyMessage(typeURL: type.rawValue, value: $0) },
            typeURL: type, nonce: Nonce(version)
        ).wireBytes()
    }

    public func stop() async { await raw.stop() }
}
