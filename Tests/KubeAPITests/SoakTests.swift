import Emulator
import Foundation
import Kubernetes
import KubeRuntime
import TestKit
import Testing

/// A short soak: many `kubectl rollout restart` cycles of bookinfo leave the world and its
/// database the size they were after warm-up — old ReplicaSets collected per
/// `revisionHistoryLimit`, terminated pods gone, deleted rows' pages given back. Counts and
/// sizes only, never times (the long version with times and RSS is `bench/soak`).
@Suite(.serialized)
struct SoakTests {
    static let deployments = 6
    static let cycles = 30

    /// What grows if something leaks, read after a cycle has settled.
    struct Census: Equatable, CustomStringConvertible {
        var replicaSets: Int
        var pods: Int
        var runningPods: Int
        var terminating: Int
        var events: Int
        var objects: Int
        var databaseBytes: Int

        var description: String {
            "rs=\(replicaSets) pods=\(pods) running=\(runningPods) terminating=\(terminating) events=\(events) objects=\(objects) db=\(databaseBytes)B"
        }
    }

    static func census(_ h: KubectlHarness) throws -> Census {
        let world = h.cluster.world
        let size = try FileManager.default.attributesOfItem(atPath: h.emulator.databasePath)[.size] as? Int ?? 0
        let pods = world.pods(in: "default")
        return Census(
            replicaSets: world.list(.replicaSets, namespace: "default").count, pods: pods.count,
            runningPods: pods.count { $0.phase == "Running" && $0.isReady },
            terminating: world.objects.values.count(where: \.isTerminating), events: world.list(.events).count,
            objects: world.objects.count, databaseBytes: size)
    }

    /// One cycle: restart every bookinfo Deployment through kubectl, then step the clock until
    /// only new, ready pods are left and nothing is terminating (bounded: a stuck rollout fails).
    static func cycle(_ h: KubectlHarness) async throws {
        let before = Set(h.cluster.world.pods(in: "default").map(\.name))
        // kubectl stamps `restartedAt` with its own wall clock to the second and refuses a second
        // restart within the same second; retried (bounded) until the second has turned.
        var restart: ProcessRun?
        try await eventually("\(restart.map(\.description) ?? "")", timeout: .seconds(10), pollingEvery: .milliseconds(100)) {
            let run = try await h.kubectl("rollout", "restart", "deployment")
            restart = run
            return !run.stderr.contains("within the past second")
        }
        #expect(restart?.status == 0 && restart?.lines.count == deployments, "\(restart.map(\.description) ?? "")")
        for _ in 0..<100 {
            let world = h.cluster.world
            let pods = world.pods(in: "default")
            if pods.count == deployments, pods.allSatisfy({ !before.contains($0.name) && $0.isReady }),
                !world.objects.values.contains(where: \.isTerminating)
            {
                return
            }
            try await h.advance(steps: 1)
        }
        Issue.record("the rollout did not complete within 100 steps: \(try census(h))")
    }

    /// Events live this long here (the API server's `--event-ttl`, an hour by default), so the
    /// thirty cycles (about four minutes of world time) reach the steady state where events
    /// expire as fast as rollouts record them.
    static let eventTTL: Int64 = 30_000

    @Test func thirtyRestartCyclesLeaveCountsAndDatabaseFlat() async throws {
        let h = try await KubectlHarness.start(worldConfig: WorldConfig(seed: 42, eventTTLMilliseconds: Self.eventTTL))
        var taken: [Int: Census] = [:]
        for n in 1...Self.cycles {
            try await Self.cycle(h)
            if n == 10 || n == 20 { taken[n] = try Self.census(h) }
        }
        let warm = try #require(taken[10]), later = try #require(taken[20])
        let end = try Self.census(h)
        // revisionHistoryLimit 10: the current ReplicaSet and ten old ones per Deployment.
        #expect(end.replicaSets <= Self.deployments * 11, "\(end)")
        #expect(end.pods == Self.deployments && end.runningPods == Self.deployments, "\(end)")
        #expect(end.terminating == 0, "\(end)")
        #expect(warm.events > 0 && end.events <= warm.events, "events kept growing: \(warm) → \(end)")
        // Every event still stored was written within the TTL.
        let now = h.cluster.world.now
        for e in h.cluster.world.list(.events) {
            let last = [e.body["lastTimestamp"], e.body["eventTime"]].compactMap { $0?.stringValue.flatMap { Timestamp(rfc3339: $0) } }.max()
            #expect(last.map { now.milliseconds - $0.milliseconds <= Self.eventTTL } ?? false, "\(e.name) is past its TTL")
        }
        // Past the history limit (cycle 11) every cycle adds one ReplicaSet and collects one.
        #expect(end.objects == later.objects && end.replicaSets == later.replicaSets, "\(later) → \(end)")
        // Cycles 10 to 30 add at most one more old ReplicaSet per Deployment (a few KiB each);
        // deleted rows' pages are reused, so the file stays put (319 → 340 KiB seen).
        #expect(end.databaseBytes <= warm.databaseBytes + 64 * 1024, "the database grew: \(warm) → \(end)")
        await h.stop()
    }
}
