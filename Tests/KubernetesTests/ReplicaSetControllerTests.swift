import JSON
import Kubernetes
import KubeRuntime
import Testing

/// Every pod the ReplicaSet controller creates passes admission; a refused create is a
/// `FailedCreate` event and a rate-limited retry; at most `podCreatesPerSync` pods per sync.
struct ReplicaSetControllerTests {
    static let now = WorldTests.now

    /// Stamps every new pod, and refuses pods while ConfigMap `default/closed` exists, with the
    /// API server's message for a webhook whose service has no endpoints.
    struct Gate: AdmissionControl {
        static let message =
            "Internal error occurred: failed calling webhook \"gate.example.com\": Post \"https://gate.default.svc:443/admit?timeout=10s\": no endpoints available for service \"gate\""
        func admit(_ object: inout KubeObject, operation: AdmissionOperation, in world: World) throws(WorldError) {
            guard object.resource == .pods, operation == .create else { return }
            if world.get(ObjectKey(.configMaps, namespace: object.namespace, name: "closed")) != nil {
                throw WorldError(.internalError, Self.message)
            }
            object.metadata.annotations["admitted"] = "yes"
        }
    }

    static let admission: [any AdmissionControl] = [Gate()]

    static func world() throws -> World {
        var w = World(config: WorldConfig(seed: 7), now: now)
        _ = try w.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "default")))
        return w
    }

    static func deployment(_ name: String, replicas: Int64) -> KubeObject {
        KubeObject(
            resource: .deployments, metadata: ObjectMeta(name: name, namespace: "default"),
            body: [
                "spec": [
                    "replicas": .int(replicas), "selector": ["matchLabels": ["app": .string(name)]],
                    "template": [
                        "metadata": ["labels": ["app": .string(name)]],
                        "spec": ["containers": [["name": .string(name), "image": "nginx:1.27"]]],
                    ],
                ]
            ])
    }

    static func closeGate(_ w: inout World) throws {
        _ = try w.create(KubeObject(resource: .configMaps, metadata: ObjectMeta(name: "closed", namespace: "default")))
    }

    static func events(_ w: World, reason: String) -> [KubeObject] {
        w.list(.events, namespace: "default").filter { $0.body["reason"] == .string(reason) }
    }

    @Test func replacementsScaleUpsAndRolloutsAreAdmitted() async throws {
        var w = try Self.world()
        _ = try w.create(Self.deployment("web", replicas: 2), admission: Self.admission)
        _ = w.advance(to: Self.now + 5000, admission: Self.admission)
        #expect(w.pods(in: "default").count == 2)
        #expect(w.list(.pods).allSatisfy { $0.metadata.annotations["admitted"] == "yes" })

        // The live world's delete carries the admission plugins to the replacement.
        let clock = ManualClock(w.now)
        let cluster = LiveWorld(world: w, clock: clock, admission: Self.admission)
        let victim = try #require(cluster.world.pods(in: "default").first)
        _ = try await cluster.delete(ObjectKey(.pods, namespace: "default", name: victim.name))
        var pods = cluster.world.list(.pods).filter { !$0.isTerminating }
        #expect(pods.count == 2 && pods.allSatisfy { $0.metadata.annotations["admitted"] == "yes" }, "\(pods.map(\.metadata))")

        // Scale-up through a patch, and a rollout whose new pods come from timed steps.
        let key = ObjectKey(.deployments, namespace: "default", name: "web")
        _ = try await cluster.patch(key, patch: ["spec": ["replicas": 3]], type: .merge)
        _ = try await cluster.patch(
            key, patch: ["spec": ["template": ["metadata": ["annotations": ["restart": "1"]]]]], type: .strategicMerge)
        for _ in 0..<40 where cluster.world.list(.pods).contains(where: { $0.metadata.annotations["restart"] != "1" }) {
            clock.advance(byMilliseconds: 1000)
            try await cluster.tick()
        }
        pods = cluster.world.list(.pods)
        #expect(pods.count == 3 && pods.allSatisfy { $0.metadata.annotations["restart"] == "1" }, "\(pods.map(\.name))")
        #expect(pods.allSatisfy { $0.metadata.annotations["admitted"] == "yes" })
    }

    @Test func aRefusedCreateIsAFailedCreateEventAndRetriedWithBackoff() throws {
        var w = try Self.world()
        try Self.closeGate(&w)
        _ = try w.create(Self.deployment("web", replicas: 1), admission: Self.admission)
        #expect(w.pods(in: "default").isEmpty)
        let rs = try #require(w.list(.replicaSets).first)
        var failed = try #require(Self.events(w, reason: "FailedCreate").first)
        #expect(failed.body["message"] == .string("Error creating: \(Gate.message)"))
        #expect(failed.body["type"] == "Warning" && failed.body["count"] == 1)
        #expect(failed.body["involvedObject"]?["kind"] == "ReplicaSet" && failed.body["involvedObject"]?["name"] == .string(rs.name))
        #expect(failed.body["source"] == ["component": "replicaset-controller"])
        #expect(failed.name.hasPrefix("\(rs.name)."))

        // Retries at 5 ms × 2^n (capped at 2 s) after the first try: 9 up to 2,555 ms, then one
        // every 2 s, so 28 more by one minute; the same event counts them all.
        _ = w.advance(to: Self.now + 4, admission: Self.admission)
        #expect(Self.events(w, reason: "FailedCreate").first?.body["count"] == 1)
        _ = w.advance(to: Self.now + 5, admission: Self.admission)
        #expect(Self.events(w, reason: "FailedCreate").first?.body["count"] == 2)
        _ = w.advance(to: Self.now + 60_000, admission: Self.admission)
        let merged = Self.events(w, reason: "FailedCreate")
        #expect(merged.count == 1 && merged[0].body["count"] == .int(1 + 9 + 28), "\(merged.map(\.body))")
        #expect(merged[0].name == failed.name && merged[0].body["firstTimestamp"] == failed.body["firstTimestamp"])
        #expect(merged[0].body["lastTimestamp"] == .string((Self.now + 2555 + 28 * 2000).rfc3339))
        #expect(w.pods(in: "default").isEmpty)

        // The webhook is back: the pod appears, admitted, at the next retry (within 2 s).
        _ = try w.delete(ObjectKey(.configMaps, namespace: "default", name: "closed"))
        #expect(w.pods(in: "default").isEmpty, "a change elsewhere does not cut the backoff short")
        _ = w.advance(to: Self.now + 2555 + 29 * 2000, admission: Self.admission)
        let pods = w.list(.pods)
        #expect(pods.count == 1 && pods[0].metadata.annotations["admitted"] == "yes")
        let created = try #require(Self.events(w, reason: "SuccessfulCreate").first)
        #expect(created.body["message"] == .string("Created pod: \(pods[0].name)"))
        failed = try #require(Self.events(w, reason: "FailedCreate").first)
        #expect(failed.body["count"] == .int(1 + 9 + 28))
        _ = w.advance(to: Self.now + 600_000, admission: Self.admission)
        #expect(Self.events(w, reason: "FailedCreate").first?.body["count"] == .int(1 + 9 + 28), "no retries once satisfied")
    }

    @Test func atMostAHundredPodsPerSync() throws {
        var w = try Self.world()
        _ = try w.create(Self.deployment("big", replicas: 1200))
        #expect(w.list(.pods).count == World.podCreatesPerSync)
        _ = w.advance(to: Self.now + 1)
        #expect(w.list(.pods).count == 2 * World.podCreatesPerSync)
        _ = w.advance(to: Self.now + 11)
        #expect(w.list(.pods).count == 1200)
        #expect(Self.events(w, reason: "SuccessfulCreate").count == 1200)
    }

    /// `slowStartBatch`: batches of 1, 2, 4, … stop at the first failure, so a dead webhook costs
    /// one refused create per sync however many pods are missing.
    @Test func aFailingBatchStopsTheSync() throws {
        var w = try Self.world()
        try Self.closeGate(&w)
        _ = try w.create(Self.deployment("web", replicas: 50), admission: Self.admission)
        let failed = Self.events(w, reason: "FailedCreate")
        #expect(failed.count == 1 && failed[0].body["count"] == 1)
    }
}

extension ReplicaSetControllerTests {
    @Test func aReplicaSetDeletedWhileBackingOffLeavesNothingQueued() throws {
        var w = try Self.world()
        try Self.closeGate(&w)
        _ = try w.create(Self.deployment("web", replicas: 1), admission: Self.admission)
        _ = w.advance(to: Self.now + 100, admission: Self.admission)
        #expect(w.queuedReplicaSets.map(\.name) == [try #require(w.list(.replicaSets).first).name])
        _ = try w.delete(ObjectKey(.deployments, namespace: "default", name: "web"))
        #expect(w.list(.replicaSets).isEmpty)
        #expect(w.queuedReplicaSets.isEmpty && !w.hasPendingTransitions)
    }
}
