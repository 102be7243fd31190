import XDSTransport

/// Helpers for loopback tests: servers on 127.0.0.1 port 0, real clients.
enum Loopback {
    static let ads = "/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources"

    /// A server that echoes every message back and finishes OK with `"bye"` after the half-close.
    static func echoServer(limits: TransportServer.Limits = .init()) throws -> TransportServer {
        let server = try TransportServer(configuration: .init(limits: limits))
        Task {
            await withDiscardingTaskGroup { group in
                for await call in server.calls {
                    group.addTask {
                        for await message in call.messages { call.send(message) }
                        call.finish(.ok, message: "bye")
                    }
                }
            }
        }
        return server
    }

    static func channel(to server: TransportServer) throws -> ClientChannel {
        try ClientChannel(target: "127.0.0.1:\(server.port)")
    }

    /// Distinct, recognisable bytes for message `index`.
    static func message(_ index: Int, size: Int = 64) -> [UInt8] {
        (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index &* 7 &+ index >> 8) }
    }

    /// A port on 127.0.0.1 nothing can be listening on while the suite runs: 1 (tcpmux) is
    /// privileged and outside the kernel's ephemeral range, and every server in the suite binds
    /// port 0 or a port it first got from port 0. (`deadPort` is not enough for a test that must
    /// find no server: a parallel test's server may be given the freed port in between.)
    static let closedPort = 1

    /// A port with no server behind it: bound by a server that is then stopped.
    static func deadPort() async throws -> Int {
        let server = try TransportServer()
        let port = server.port
        await server.stop()
        return port
    }
}
