import BenchKit
import Testing
import XDSModel

/// push-bench's scenarios at small N, as correctness tests: every proxy ends with exactly the latest
/// versions ACKed (seen from both ends), each changed resource is encoded once whatever N, and the
/// raw baseline converges too. No time is asserted: the bench reports times, tests never do.
@Suite("push-bench scenarios at small N", .timeLimit(.minutes(3)))
struct ScenarioTests {
    static let worlds = [BenchWorld.bookinfo, BenchWorld.large(services: 40, endpoints: 3)]

    @Test("the control plane: connect storm, full push, incremental", arguments: worlds)
    func controlPlane(_ start: BenchWorld) async throws {
        var world = start
        let server = try ControlPlaneServer(world: world)
        let proxies = LoadGenerator(target: "127.0.0.1:\(server.port)", options: .init(streams: 20))
        let storm = try await proxies.connectStorm(to: server)
        #expect(storm.missing == 0)
        #expect(storm.convergence.count == 20)
        try await ServerView.expectInSync(server, streams: 20)

        for scenario in [Scenario.fullPush, .incremental] {
            let before = server.encodings
            let expectation = server.apply(scenario, world: &world)
            let outcome = await proxies.expect(expectation)
            #expect(outcome.missing == 0, "\(scenario)")
            #expect(server.encodings - before == (scenario == .fullPush ? world.services.count : 1), "\(scenario)")
            for index in 0..<20 {
                let proxy = proxies.proxy(index)
                #expect(proxy.cds?.version == expectation.cds)
                #expect(proxy.eds?.version == expectation.eds)
            }
            try await ServerView.expectInSync(server, streams: 20)
        }
        // Every proxy got the same CDS payloads: each was decoded once, not once per proxy.
        #expect(proxies.names.decodes == 2)
        await proxies.close()
        await server.stop()
    }

    @Test("encodings equal the changed resources, whatever the number of streams")
    func encodingsIndependentOfN() async throws {
        var counts: [Int: [Int]] = [:]
        for streams in [2, 24] {
            var world = BenchWorld.large(services: 30, endpoints: 2)
            let server = try ControlPlaneServer(world: world)
            let proxies = LoadGenerator(target: "127.0.0.1:\(server.port)", options: .init(streams: streams))
            #expect(try await proxies.connectStorm(to: server).missing == 0)
            var deltas = [server.encodings]
            for scenario in [Scenario.fullPush, .incremental, .fullPush] {
                let before = server.encodings
                #expect(await proxies.expect(server.apply(scenario, world: &world)).missing == 0)
                deltas.append(server.encodings - before)
            }
            counts[streams] = deltas
            await proxies.close()
            await server.stop()
        }
        #expect(counts[2] == [60, 30, 1, 30])
        #expect(counts[2] == counts[24])
    }

    @Test("the raw baseline converges on the same scenarios", arguments: worlds)
    func rawBaseline(_ start: BenchWorld) async throws {
        var world = start
        let server = try RawBaselineServer(world: world)
        let proxies = LoadGenerator(target: "127.0.0.1:\(server.port)", options: .init(streams: 20))
        #expect(try await proxies.connectStorm(to: server).missing == 0)
        for scenario in [Scenario.fullPush, .incremental] {
            let expectation = server.apply(scenario, world: &world)
            #expect(await proxies.expect(expectation).missing == 0, "\(scenario)")
            #expect((0..<20).allSatisfy { proxies.proxy($0).eds?.version == expectation.eds })
        }
        #expect(server.encodings == 0)
        await proxies.close()
        await server.stop()
    }

    @Test("streams multiplexed on shared connections behave as separate proxies")
    func streamsPerConnection() async throws {
        var world = BenchWorld.bookinfo
        let server = try ControlPlaneServer(world: world)
        let proxies = LoadGenerator(target: "127.0.0.1:\(server.port)", options: .init(streams: 20, streamsPerConnection: 5))
        #expect(try await proxies.connectStorm(to: server).missing == 0)
        #expect(await proxies.expect(server.apply(.fullPush, world: &world)).missing == 0)
        try await ServerView.expectInSync(server, streams: 20)
        await proxies.close()
        await server.stop()
    }
}
