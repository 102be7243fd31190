internal import CGRPCShim

extension TransportServer {
    /// gRPC's limits on what one peer can make the server hold, istiod's values unless said
    /// otherwise (docs/c-binding-notes.md, "Server limits").
    public struct Limits: Sendable, Equatable {
        /// The largest request accepted; a larger one ends only its call, RESOURCE_EXHAUSTED.
        /// istiod's `ISTIO_GPRC_MAXRECVMSGSIZE` default and gRPC's own, 4 MiB. `nil`: no limit.
        package var maxReceiveMessageBytes: Int?
        /// The server pings a connection after this long without traffic and drops it if no
        /// answer comes within `keepaliveTimeout`: a peer that vanished or stopped reading its
        /// socket frees its calls. istiod: 30 s and 10 s. `nil`: no pings.
        package var keepaliveTime: Duration?
        package var keepaliveTimeout: Duration
        /// Clients may ping no more often than this; `maxPingStrikes` pings more often and the
        /// connection is closed (istiod's enforcement policy: 15 s; gRPC's default strikes, 2).
        package var minClientPingInterval: Duration
        package var maxPingStrikes: Int
        /// A connection with no call for this long is closed (GOAWAY); a proxy's ADS stream keeps
        /// its connection busy, so this only reclaims connections left behind. `nil`: never.
        package var maxConnectionIdle: Duration?

        public init(
            maxReceiveMessageBytes: Int? = 4 << 20, keepaliveTime: Duration? = .seconds(30),
            keepaliveTimeout: Duration = .seconds(10), minClientPingInterval: Duration = .seconds(15),
            maxPingStrikes: Int = 2, maxConnectionIdle: Duration? = .seconds(300)
        ) {
            self.maxReceiveMessageBytes = maxReceiveMessageBytes
            self.keepaliveTime = keepaliveTime
            self.keepaliveTimeout = keepaliveTimeout
            self.minClientPingInterval = minClientPingInterval
            self.maxPingStrikes = maxPingStrikes
            self.maxConnectionIdle = maxConnectionIdle
        }

        var shim: CGRPCShim_server_limits {
            func ms(_ d: Duration?) -> Int32 { d.map { Int32(clamping: $0.milliseconds) } ?? 0 }
            return CGRPCShim_server_limits(
                max_receive_message_bytes: Int32(clamping: maxReceiveMessageBytes ?? 0),
                keepalive_time_ms: ms(keepaliveTime), keepalive_timeout_ms: ms(keepaliveTimeout),
                min_client_ping_interval_ms: ms(minClientPingInterval), max_ping_strikes: Int32(clamping: maxPingStrikes),
                max_connection_idle_ms: ms(maxConnectionIdle))
        }
    }
}
