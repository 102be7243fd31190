import Synchronization
import XDSTransport
import XDSWire

/// The raw baseline: the same transport, pushing pre-encoded bytes to every stream with no
/// control-plane logic at all (no snapshots, no subscriptions, no ACK bookkeeping). Each stream gets
/// the current full state after its first request; `push` writes payloads to every open stream.
/// What the server does beyond this is the price of being a control plane.
public final class RawServer: Sendable {
    private struct State {
        var initial: [Payload]
        var calls: [ServerCall] = []
    }

    private let transport: TransportServer
    private let state: Mutex<State>
    private let acceptLoop = Mutex<Task<Void, Never>?>(nil)

    public var port: Int { transport.port }

    public init(initial: [Payload]) throws(TransportError) {
        transport = try TransportServer(configuration: .init(
            host: "127.0.0.1", port: 0, methods: [AggregatedDiscoveryService.streamAggregatedResourcesPath]))
        state = Mutex(State(initial: initial))
        let task = transport.serveCalls { [self] call in await serve(call) }
        acceptLoop.withLock { $0 = task }
    }

    /// After the first request: the full state. Later requests (ACKs) are read and ignored.
    private func serve(_ call: ServerCall) async {
        var first = true
        for await _ in call.messages where first {
            first = false
            let initial = state.withLock { s in
                s.calls.append(call)
                return s.initial
            }
            for payload in initial { call.send(payload) }
        }
        call.finish(.ok)
    }

    /// Sends `payloads` to every open stream, and makes them the state new streams get.
    public func push(_ payloads: [Payload], replacingInitial initial: [Payload]) {
        let calls = state.withLock { s in
            s.initial = initial
            return s.calls
        }
        for call in calls {
            for payload in payloads { call.send(payload) }
        }
    }

    public func stop() async {
        await transport.stop()
        await acceptLoop.withLock { $0 }?.value
    }
}
