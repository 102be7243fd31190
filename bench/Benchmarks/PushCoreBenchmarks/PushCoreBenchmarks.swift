import Benchmark
import BenchKit
import PushCore
import XDSModel
import XDSWire

// Micro benchmarks of the push path below the transport: encoding, fan-out planning
// (PushCore.update over N streams) and the push queue, with allocation counts.
// Run: swift package --package-path bench --scratch-path bench/.build-bench benchmark

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        maxDuration: .seconds(2), maxIterations: 10_000)

    let world = BenchWorld.large()
    let cluster = world.clusters[0]
    let assignment = world.endpoints[0]
    let encodedClusters = world.clusters.map { AnyMessage(typeURL: TypeURL.cluster.rawValue, value: $0.wireBytes()) }

    Benchmark("encode Cluster") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(cluster.wireBytes()) }
    }
    Benchmark("encode ClusterLoadAssignment (10 endpoints)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(assignment.wireBytes()) }
    }
    Benchmark("encode CDS envelope (1,000 pre-encoded clusters)") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(DiscoveryResponse(versionInfo: .init("1"), resources: encodedClusters, typeURL: .cluster, nonce: .init("n")).wireBytes())
        }
    }

    // Fan-out planning: one endpoint change in the large world, pushed to N streams that watch
    // every assignment. Measures the core's work only (sends complete at once, no transport).
    let changes: [(name: String, maxIterations: Int, change: @Sendable (FanOutFixture) -> Int)] = [
        ("one endpoint change", 200, { $0.changeOneEndpoint() }),
        ("every cluster changes", 50, { $0.changeEveryCluster() }),
    ]
    for streams in [100, 1_000, 10_000] {
        for (name, maxIterations, change) in changes {
            Benchmark(
                "fan-out planning: \(name) → \(streams) streams",
                configuration: .init(maxDuration: .seconds(3), maxIterations: maxIterations)
            ) { benchmark in
                let fixture = FanOutFixture.shared(streams: streams)
                for _ in benchmark.scaledIterations { blackHole(change(fixture)) }
            }
        }
    }

    // What the core holds per idle stream: 1,000 streams opened and subscribed as above, on a
    // core whose snapshots and envelopes already exist (one stream opened before the clock
    // starts). `memoryLeakedBytes` = heap bytes requested and not freed by the end ÷ 1,000 = the
    // core's bytes per stream (the transport's buffers are not in it).
    Benchmark(
        "idle streams: 1,000 subscribed streams held by the core",
        configuration: .init(
            metrics: [.wallClock, .mallocCountTotal, .memoryLeakedBytes], maxDuration: .seconds(3), maxIterations: 10)
    ) { benchmark in
        let fixture = FanOutFixture(streams: 1)
        benchmark.startMeasurement()
        fixture.openStreams(1..<1_001)
        benchmark.stopMeasurement()
        blackHole(fixture)
    }

    // The push queue: 1,000 changes merged into one pending push while a send is in flight.
    Benchmark("push queue: 1,000 changes merged while in flight, then one send") { benchmark in
        let core = PushCore(codec: FanOutFixture.codec)
        _ = core.update(.cluster, [.cluster(cluster)], now: .zero)
        let id = StreamID(1)
        core.open(id, kind: .stateOfTheWorld)
        _ = core.receive(DiscoveryRequest(typeURL: .cluster), on: id, now: .zero)
        let variants = (0..<2).map { g in
            XDSResource.cluster(Cluster(name: cluster.name, connectTimeout: ProtoDuration(seconds: 10 + Int64(g))))
        }
        benchmark.startMeasurement()
        for i in 0..<1_000 { blackHole(core.update(.cluster, [variants[i & 1]], now: .zero)) }
        blackHole(core.sendCompleted(id))
    }
}
