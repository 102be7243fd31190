import Testing
import XDSTransport

@Suite("Bidi streams over loopback", .timeLimit(.minutes(1)))
struct StreamTests {
    @Test("echo: many messages client → server → client, order kept")
    func echo() async throws {
        let server = try Loopback.echoServer()
        let call = try Loopback.channel(to: server).makeCall(method: Loopback.ads)
        let count = 1_000
        for index in 0..<count { call.send(Loopback.message(index)) }
        // The async variant returns once gRPC took the message.
        #expect(await call.write(Payload(Loopback.message(count))))
        call.closeSend()

        var received: [[UInt8]] = []
        for await message in call.messages { received.append(message) }
        #expect(received.count == count + 1)
        #expect(received == (0...count).map { Loopback.message($0) })
        #expect(await call.status == CallStatus(code: .ok, message: "bye"))
        #expect(call.pendingSendCount == 0)
        await server.stop()
    }

    @Test("the server's status (code + message) reaches the client, and the stream ends")
    func serverStatus() async throws {
        let server = try TransportServer()
        Task {
            for await call in server.calls {
                for await _ in call.messages {
                    call.send([1, 2, 3])
                    call.finish(.invalidArgument, message: "bad request: no node")
                    break
                }
            }
        }
        let call = try Loopback.channel(to: server).makeCall(method: Loopback.ads)
        call.send([42])
        var received: [[UInt8]] = []
        for await message in call.messages { received.append(message) }
        #expect(received == [[1, 2, 3]])
        let status = await call.status
        #expect(status.code == .invalidArgument)
        #expect(status.message == "bad request: no node")
        // Sends after the end are refused, not queued forever.
        #expect(await call.write(Payload([9])) == false)
        await server.stop()
    }

    @Test("a client cancel is seen by the server and frees the call")
    func clientCancel() async throws {
        let server = try TransportServer()
        var calls = server.calls.makeAsyncIterator()
        let client = try Loopback.channel(to: server).makeCall(method: Loopback.ads)
        client.send([1])
        let accepted = try #require(await calls.next())
        #expect(accepted.method == Loopback.ads)
        #expect(accepted.peer.contains("127.0.0.1"))
        var messages = accepted.messages.makeAsyncIterator()
        #expect(await messages.next() == [1])
        #expect(server.openCallCount == 1)
        #expect(accepted.isCancelled == false)

        client.cancel()
        let end = await accepted.waitForEnd()
        #expect(end.code == .cancelled)
        #expect(accepted.isCancelled)
        #expect(await messages.next() == nil)
        #expect(server.openCallCount == 0)
        #expect(await client.status.code == .cancelled)
        #expect(accepted.send([2]) == false)
        await server.stop()
    }

    @Test("half-close from the client ends the server's message stream; the server still sends")
    func halfClose() async throws {
        let server = try TransportServer()
        Task {
            for await call in server.calls {
                var count = 0
                for await _ in call.messages { count += 1 }
                // The client is done sending; answer with the count, then the status.
                call.send([UInt8(count)])
                call.finish(.ok, message: "counted")
            }
        }
        let call = try Loopback.channel(to: server).makeCall(method: Loopback.ads)
        for index in 0..<5 { call.send(Loopback.message(index)) }
        call.closeSend()
        #expect(call.send([0]) == false)
        var received: [[UInt8]] = []
        for await message in call.messages { received.append(message) }
        #expect(received == [[5]])
        #expect(await call.status == CallStatus(code: .ok, message: "counted"))
        await server.stop()
    }

    @Test("a 4 MB+ message in both directions, where the server's limit allows it")
    func largeMessage() async throws {
        let server = try Loopback.echoServer(limits: .init(maxReceiveMessageBytes: 8 << 20))
        let call = try Loopback.channel(to: server).makeCall(method: Loopback.ads)
        let big = Loopback.message(7, size: 4 * 1024 * 1024 + 4096)
        call.send(big)
        call.closeSend()
        var received: [[UInt8]] = []
        for await message in call.messages { received.append(message) }
        #expect(received.count == 1)
        #expect(received.first == big)
        #expect(await call.status.code == .ok)
        await server.stop()
    }

    @Test("a message over the default 4 MiB receive limit ends its call with RESOURCE_EXHAUSTED")
    func messageOverTheReceiveLimit() async throws {
        let server = try Loopback.echoServer()
        let call = try Loopback.channel(to: server).makeCall(method: Loopback.ads)
        call.send(Loopback.message(7, size: 4 * 1024 * 1024 + 1))
        #expect(await call.status.code == .resourceExhausted)
        await server.stop()
    }

    @Test("methods outside the served set get UNIMPLEMENTED and are not handed out")
    func unimplementedMethod() async throws {
        let server = try TransportServer(configuration: .init(methods: [Loopback.ads]))
        let call = try Loopback.channel(to: server).makeCall(method: "/some.Other/Method")
        call.send([1])
        let status = await call.status
        #expect(status.code == .unimplemented)
        #expect(server.openCallCount == 0)
        await server.stop()
    }

    @Test("dropping the last reference to an open client call cancels it")
    func droppedClientCall() async throws {
        let server = try TransportServer()
        var calls = server.calls.makeAsyncIterator()
        var client: ClientCall? = try Loopback.channel(to: server).makeCall(method: Loopback.ads)
        client?.send([1])
        let accepted = try #require(await calls.next())
        var messages = accepted.messages.makeAsyncIterator()
        #expect(await messages.next() == [1])
        client = nil
        #expect(await accepted.waitForEnd().code == .cancelled)
        #expect(server.openCallCount == 0)
        await server.stop()
    }
}
