import Testing
import XDSTransport

@Suite("Fan-out of one shared payload", .timeLimit(.minutes(1)))
struct FanOutTests {
    @Test("200+ streams on separate connections all receive one shared Payload")
    func sharedPayload() async throws {
        let streams = 220
        let server = try TransportServer()
        let clients = try (0..<streams).map { _ in
            try ClientChannel(target: "127.0.0.1:\(server.port)").makeCall(method: Loopback.ads)
        }
        for (index, client) in clients.enumerated() { client.send(Loopback.message(index, size: 8)) }

        // Every stream announces itself before the push, like an xDS client's first request.
        var accepted: [ServerCall] = []
        var calls = server.calls.makeAsyncIterator()
        var peers = Set<String>()
        while accepted.count < streams {
            let call = try #require(await calls.next())
            var messages = call.messages.makeAsyncIterator()
            #expect(await messages.next() != nil)
            accepted.append(call)
            peers.insert(call.peer)
        }
        // A connection per channel: every stream has its own client port.
        #expect(peers.count == streams)

        let bytes = Loopback.message(99, size: 10 * 1024)
        let payload = Payload(bytes)
        #expect(payload.count == bytes.count)
        for call in accepted { call.send(payload) }

        try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            for client in clients {
                group.addTask {
                    var messages = client.messages.makeAsyncIterator()
                    return await messages.next()
                }
            }
            for try await received in group { #expect(received == bytes) }
        }
        for call in accepted { call.finish(.ok) }
        for client in clients { #expect(await client.status.code == .ok) }
        for call in accepted { _ = await call.waitForEnd() }
        #expect(server.openCallCount == 0)
        await server.stop()
    }

    @Test("write completions arrive in send order and the queue depth drains to zero")
    func orderedCompletions() async throws {
        let server = try TransportServer()
        let client = try Loopback.channel(to: server).makeCall(method: Loopback.ads)
        client.send([0])
        var calls = server.calls.makeAsyncIterator()
        let call = try #require(await calls.next())
        let payload = Payload(Loopback.message(1, size: 1024))
        let (order, continuation) = AsyncStream.makeStream(of: Int.self)
        let count = 100
        for index in 0..<count {
            call.send(payload) { written in
                if written { continuation.yield(index) }
                if index == count - 1 { continuation.finish() }
            }
        }
        #expect(call.pendingSendCount <= count)
        var seen: [Int] = []
        for await index in order { seen.append(index) }
        #expect(seen == Array(0..<count))
        #expect(call.pendingSendCount == 0)
        var received = 0
        var messages = client.messages.makeAsyncIterator()
        while received < count, await messages.next() != nil { received += 1 }
        #expect(received == count)
        call.finish(.ok)
        #expect(await client.status.code == .ok)
        await server.stop()
    }
}
