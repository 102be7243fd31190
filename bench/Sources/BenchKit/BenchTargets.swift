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
    /// Resources encoded so far (the raw baseline encodes nothing on the push path: 0).
    var encodings: Int { get }
    func stop() async
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

    public func apply(_ scenario: Scenario, world: inout BenchWorld) -> Expectation {
        switch scenario {
        case .connectStorm:
            return initialExpectation(since: ProcessReadings.monotonicNanos())
        case .fullPush:
            world.changeEveryCluster()
            let clusters = world.clusters.map(XDSResource.cluster)
            let since = ProcessReadings.monotonicNanos()
            server.update(.cluster, clusters)
            return Expectation(cds: version(.cluster), eds: version(.endpoint), freshCDS: true, freshEDS: true, since: since)
        case .incremental:
            world.changeOneEndpoint()
            let endpoints = world.endpoints.map(XDSResource.endpoint)
            let since = ProcessReadings.monotonicNanos()
            server.update(.endpoint, endpoints)
            return Expectation(cds: version(.cluster), eds: version(.endpoint), freshCDS: false, freshEDS: true, since: since)
        }
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

    public func apply(_ scenario: Scenario, world: inout BenchWorld) -> Expectation {
        switch scenario {
        case .connectStorm:
            return initialExpectation(since: ProcessReadings.monotonicNanos())
        case .fullPush:
            world.changeEveryCluster()
            let cdsVersion = "raw-c\(world.clusterGeneration)", edsVersion = "raw-e\(world.endpointGeneration)"
            let cds = Payload(Self.response(.cluster, world.clusters.map { $0.wireBytes() }, version: cdsVersion))
            let eds = Payload(Self.response(.endpoint, world.endpoints.map { $0.wireBytes() }, version: edsVersion))
            let since = ProcessReadings.monotonicNanos()
            raw.push([cds, eds], replacingInitial: [cds, eds])
            return Expectation(cds: cdsVersion, eds: edsVersion, freshCDS: true, freshEDS: true, since: since)
        case .incremental:
            world.changeOneEndpoint()
            let cdsVersion = "raw-c\(world.clusterGeneration)", edsVersion = "raw-e\(world.endpointGeneration)"
            let all = world.endpoints
            let one = Payload(Self.response(.endpoint, [all[0].wireBytes()], version: edsVersion))
            let cds = Payload(Self.response(.cluster, world.clusters.map { $0.wireBytes() }, version: cdsVersion))
            let eds = Payload(Self.response(.endpoint, all.map { $0.wireBytes() }, version: edsVersion))
            let since = ProcessReadings.monotonicNanos()
            raw.push([one], replacingInitial: [cds, eds])
            return Expectation(cds: cdsVersion, eds: edsVersion, freshCDS: false, freshEDS: true, since: since)
        }
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
