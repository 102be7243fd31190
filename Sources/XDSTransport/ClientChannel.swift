internal import CGRPCShim

/// A client channel to one target (`127.0.0.1:PORT`), from which bidi-streaming calls are opened.
///
/// By default each channel has its own TCP connection (`grpc.use_local_subchannel_pool=1`), as each
/// simulated proxy needs, like a real sidecar. Channels cost no threads: all client calls share
/// the runtime's two completion-queue threads. Connecting happens lazily with the first call.
///
/// Ownership: owns one `grpc_channel`, destroyed in `deinit`; calls keep their channel alive.
public final class ClientChannel: Sendable {
    public struct Options: Sendable {
        /// Own TCP connection instead of sharing one with other channels to the same target.
        package var ownConnection: Bool
        /// The largest message the client accepts (xDS responses exceed gRPC's 4 MB default).
        package var maxReceiveMessageBytes: Int
        /// HTTP/2 keepalive ping interval; `nil` (default) sends none.
        package var keepalive: Duration?
        /// Cap on the reconnect backoff, for proxies that wait for a restarted server;
        /// `nil` keeps gRPC's default (up to 120 s).
        package var maxReconnectBackoff: Duration?

        public init(ownConnection: Bool = true, maxReceiveMessageBytes: Int = 64 << 20,
                    keepalive: Duration? = nil, maxReconnectBackoff: Duration? = nil) {
            self.ownConnection = ownConnection
            self.maxReceiveMessageBytes = maxReceiveMessageBytes
            self.keepalive = keepalive
            self.maxReconnectBackoff = maxReconnectBackoff
        }
    }

    package let target: String
    package let options: Options
    /// `grpc_channel*`; thread-safe by gRPC's contract.
    nonisolated(unsafe) let handle: OpaquePointer

    /// - Throws: ``TransportError/Code/channelFailed`` if gRPC rejects the target.
    public init(target: String, options: Options = Options()) throws(TransportError) {
        GRPCRuntime.initialize()
        guard let handle = CGRPCShim_channel_create(
            target, options.ownConnection ? 1 : 0,
            Int32(clamping: options.maxReceiveMessageBytes),
            Int32(clamping: options.keepalive.map(\.milliseconds) ?? 0),
            Int32(clamping: options.maxReconnectBackoff.map(\.milliseconds) ?? 0))
        else { throw TransportError(.channelFailed, "cannot create a channel to \(target)") }
        self.target = target
        self.options = options
        self.handle = handle
    }

    deinit { CGRPCShim_channel_destroy(handle) }

    /// Opens a bidi-streaming call to `method` (a path such as
    /// `/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources`).
    ///
    /// - Parameters:
    ///   - deadline: the call ends with DEADLINE_EXCEEDED after this long; `nil` = no deadline.
    ///   - waitForReady: queue the call while the channel is connecting or reconnecting instead
    ///     of failing it with UNAVAILABLE at once.
    public func makeCall(method: String, deadline: Duration? = nil,
                         waitForReady: Bool = false) throws(TransportError) -> ClientCall {
        let core = CallCore(side: .client, server: nil)
        try core.openClient(channel: handle, queue: GRPCRuntime.clientQueue(), method: method,
                            deadlineMilliseconds: deadline.map { max(1, $0.milliseconds) } ?? 0,
                            waitForReady: waitForReady)
        return ClientCall(core: core, method: method, side: ClientSide(channel: self))
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
