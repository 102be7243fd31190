import Synchronization
import PushCore
import XDSModel
import XDSTransport
import XDSWire

/// An ADS server (`envoy.service.discovery.v3.AggregatedDiscoveryService`) on a loopback port,
/// speaking both `StreamAggregatedResources` (state of the world) and `DeltaAggregatedResources`.
///
/// It owns the transport and the wire format; every protocol decision and every push goes through
/// its `PushCore`. Replace resources with `update`; open streams get what changed. `stop()` must be
/// called.
public final class XDSServer: Sendable {
    public struct Configuration: Sendable {
        package var host: String
        /// 0 picks a free port.
        package var port: Int
        package var debounce: DebounceConfig
        /// Sends outstanding at once across every stream; stalled sends stop counting (`stalls`).
        package var maxSendsInFlight: Int
        /// When a send that does not complete frees its slot, and when its stream is ended.
        package var stalls: StallPolicy
        /// Sent as `control_plane.identifier` (istiod sends its pod name).
        package var controlPlaneIdentifier: String
        /// gRPC's limits: receive size, keepalive, idle connections.
        package var transport: TransportServer.Limits

        public init(
            host: String = "127.0.0.1", port: Int = 0, debounce: DebounceConfig = .off,
            maxSendsInFlight: Int = 1024, controlPlaneIdentifier: String = "",
            stalls: StallPolicy = StallPolicy(), transport: TransportServer.Limits = .init()
        ) {
            self.host = host
            self.port = port
            self.debounce = debounce
            self.maxSendsInFlight = maxSendsInFlight
            self.stalls = stalls
            self.controlPlaneIdentifier = controlPlaneIdentifier
            self.transport = transport
        }
    }

    package let configuration: Configuration
    public var port: Int { transport.port }

    let transport: TransportServer
    let core: PushCore<Payload>
    let streams = StreamTable()
    let clock = ContinuousClock()
    let origin: ContinuousClock.Instant
    let debounceTimer = Mutex<Task<Void, Never>?>(nil)
    private let stallWatch = Mutex<Task<Void, Never>?>(nil)
    private let acceptLoop = Mutex<Task<Void, Never>?>(nil)

    /// Binds and starts serving.
    /// - Throws: `TransportError` when the address cannot be bound.
    public init(configuration: Configuration = Configuration()) throws(TransportError) {
        self.configuration = configuration
        self.origin = clock.now
        self.core = PushCore(
            codec: Self.wireCodec, debounce: configuration.debounce,
            maxSendsInFlight: configuration.maxSendsInFlight, stalls: configuration.stalls,
            controlPlaneIdentifier: configuration.controlPlaneIdentifier)
        self.transport = try TransportServer(
            configuration: .init(
                host: configuration.host, port: configuration.port,
                methods: [
                    AggregatedDiscoveryService.streamAggregatedResourcesPath,
                    AggregatedDiscoveryService.deltaAggregatedResourcesPath,
                ], limits: configuration.transport))
        let task = transport.serveCalls { [self] call in await serve(call) }
        acceptLoop.withLock { $0 = task }
        let watch = watchStalls()
        stallWatch.withLock { $0 = watch }
    }

    /// Stops accepting, ends every stream (clients see UNAVAILABLE or CANCELLED) and releases the port.
    public func stop() async {
        debounceTimer.withLock { $0?.cancel() }
        let watch = stallWatch.withLock { $0 }
        watch?.cancel()
        await watch?.value
        await transport.stop()
        await acceptLoop.withLock { $0 }?.value
    }

    // MARK: Configuration

    /// Replaces every cluster and every endpoint assignment.
    public func update(clusters: [Cluster], endpoints: [ClusterLoadAssignment]) {
        update(.cluster, clusters.map(XDSResource.cluster))
        update(.endpoint, endpoints.map(XDSResource.endpoint))
    }

    /// Replaces every resource of one type. Streams watching what changed get it (after the
    /// debounce, if one is configured).
    public func update(_ type: TypeURL, _ resources: [XDSResource]) {
        send(core.update(type, resources, now: now))
        if !configuration.debounce.isOff { armDebounceTimer() }
    }

    /// Replaces every resource of one type with one set per view (`ResourceViews`): streams
    /// whose nodes map to the same view share the encoded resources and responses.
    public func update(_ type: TypeURL, views: ResourceViews) {
        send(core.update(type, views: views, now: now))
        if !configuration.debounce.isOff { armDebounceTimer() }
    }

    // MARK: Reading

    /// Every open stream: its node, subscriptions, what was sent, ACKed and NACKed.
    public func connections() -> [ConnectionStatus] { core.connections() }

    public func metrics() -> PushMetrics { core.metrics() }

    /// The current snapshot of one type.
    public func snapshot(of type: TypeURL) -> TypeSnapshot { core.snapshot(of: type) }

    var now: Duration { clock.now - origin }

    /// Protobuf-c encoders; responses become one shared transport payload.
    static let wireCodec = PushCodec<Payload>(
        encodeResource: { $0.wireBytes() },
        encodeResponse: { Payload($0.wireBytes()) },
        encodeDeltaResponse: { Payload($0.wireBytes()) })
}
