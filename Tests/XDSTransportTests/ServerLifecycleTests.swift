import Testing
import XDSTransport

@Suite("Server lifecycle and connection failures", .timeLimit(.minutes(1)))
struct ServerLifecycleTests {
    @Test("stop with open streams ends them with a status, returns, and frees the port")
    func stopWithOpenStreams() async throws {
        let server = try TransportServer()
        let port = server.port
        #expect(port > 0)
        let channel = try Loopback.channel(to: server)
        let clients = try (0..<5).map { _ in try channel.makeCall(method: Loopback.ads) }
        for client in clients { client.send([1]) }
        var accepted: [ServerCall] = []
        var calls = server.calls.makeAsyncIterator()
        for _ in clients {
            let call = try #require(await calls.next())
            var messages = call.messages.makeAsyncIterator()
            #expect(await messages.next() == [1])
            accepted.append(call)
        }
        #expect(server.openCallCount == 5)

        await server.stop()
        for client in clients {
            let status = await client.status
            #expect(status.code != .ok, "stream ended by stop: \(status)")
        }
        for call in accepted { #expect(await call.waitForEnd().code == .cancelled) }
        #expect(server.openCallCount == 0)
        #expect(await calls.next() == nil)
        await server.stop()  // idempotent

        // The port is really free: a new server (SO_REUSEPORT off) can bind it.
        let again = try TransportServer(configuration: .init(port: port))
        #expect(again.port == port)
        // And while it runs, the port is exclusively its own.
        #expect(throws: TransportError.self) { try TransportServer(configuration: .init(port: port)) }
        await again.stop()
    }

    @Test("connecting to a port with no server yields UNAVAILABLE, not a hang")
    func noServer() async throws {
        let port = Loopback.closedPort
        let channel = try ClientChannel(target: "127.0.0.1:\(port)")
        // The deadline only bounds the test should something regress; the expected end is
        // UNAVAILABLE, long before it.
        let call = try channel.makeCall(method: Loopback.ads, deadline: .seconds(30))
        call.send([1])
        let status = await call.status
        #expect(status.code == .unavailable, "\(status)")
        var messages = call.messages.makeAsyncIterator()
        #expect(await messages.next() == nil)
    }

    @Test("wait-for-ready calls connect once the server appears")
    func waitForReady() async throws {
        let port = try await Loopback.deadPort()
        let channel = try ClientChannel(
            target: "127.0.0.1:\(port)", options: .init(maxReconnectBackoff: .milliseconds(200)))
        let call = try channel.makeCall(method: Loopback.ads, deadline: .seconds(30), waitForReady: true)
        call.send([5])
        let server = try TransportServer(configuration: .init(port: port))
        var calls = server.calls.makeAsyncIterator()
        let accepted = try #require(await calls.next())
        var messages = accepted.messages.makeAsyncIterator()
        #expect(await messages.next() == [5])
        accepted.finish(.ok, message: "ready")
        #expect(await call.status == CallStatus(code: .ok, message: "ready"))
        await server.stop()
    }

    @Test("binding an address in use is a TransportError, not a crash")
    func bindFailure() async throws {
        let server = try TransportServer()
        #expect(throws: TransportError.self) {
            try TransportServer(configuration: .init(port: server.port))
        }
        await server.stop()
    }
}
