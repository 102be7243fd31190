import JSON
import Kubernetes
import KubeRuntime
import Testing

/// The events the scheduler, the kubelet and the controllers record, merged like client-go's
/// correlator and expired after the API server's event TTL.
struct EventRecordingTests {
    static let now = WorldTests.now
    typealias RS = ReplicaSetControllerTests

    /// `TYPE REASON OBJECT[fieldPath] FROM MESSAGE (xCOUNT)` per event, in resource-version order.
    static func lines(_ w: World, about name: String? = nil) -> [String] {
        w.list(.events).filter { name == nil || $0.body["involvedObject"]?["name"] == .string(name!) }
            .sorted { $0.metadata.resourceVersion < $1.metadata.resourceVersion }
            .map { e in
                let ref = e.body["involvedObject"] ?? .object([:])
                let path = ref["fieldPath"]?.stringValue.map { "[\($0)]" } ?? ""
                let from = e.body["reportingComponent"]?.stringValue ?? ""
                let count = e.body["count"]?.intValue ?? 1
                return "\(e.body["type"]!.stringValue!) \(e.body["reason"]!.stringValue!) \(ref["kind"]!.stringValue!)/\(ref["name"]!.stringValue!)\(path) \(from) \(e.body["message"]!.stringValue!)\(count > 1 ? " (x\(count))" : "")"
            }
    }

    @Test func aRolloutRecordsWhatARealClusterDoes() throws {
        var w = try RS.world()
        _ = try w.create(RS.deployment("web", replicas: 1))
        _ = w.advance(to: Self.now + 5000)
        let oldRS = try #require(w.list(.replicaSets).first)
        let oldPod = try #require(w.list(.pods).first)
        #expect(
            Self.lines(w) == [
                "Normal ScalingReplicaSet Deployment/web deployment-controller Scaled up replica set \(oldRS.name) from 0 to 1",
                "Normal SuccessfulCreate ReplicaSet/\(oldRS.name) replicaset-controller Created pod: \(oldPod.name)",
                "Normal Scheduled Pod/\(oldPod.name) default-scheduler Successfully assigned default/\(oldPod.name) to xdsemu-node",
                "Normal Pulled Pod/\(oldPod.name)[spec.containers{web}] kubelet Container image \"nginx:1.27\" already present on machine",
                "Normal Created Pod/\(oldPod.name)[spec.containers{web}] kubelet Created container: web",
                "Normal Started Pod/\(oldPod.name)[spec.containers{web}] kubelet Started container web",
            ])
        let scheduled = try #require(w.list(.events).first { $0.body["reason"] == "Scheduled" })
        // The scheduler records through events.k8s.io: eventTime and action, no source or count.
        #expect(scheduled.body["action"] == "Binding" && scheduled.body["source"] == .object([:]) && scheduled.body["count"] == nil)
        #expect(scheduled.body["eventTime"] == .string("2026-01-01T00:00:00.000000Z"))
        #expect(scheduled.body["reportingInstance"] == "default-scheduler-xdsemu-node")
        let pulled = try #require(w.list(.events).first { $0.body["reason"] == "Pulled" })
        #expect(pulled.body["source"] == ["component": "kubelet", "host": "xdsemu-node"] && pulled.body["reportingInstance"] == "xdsemu-node")
        for e in w.list(.events) {
            let about = e.body["involvedObject"]?["name"]?.stringValue ?? ""
            let hex = e.name.dropFirst(about.count + 1)
            #expect(e.name.hasPrefix(about + ".") && !hex.isEmpty && hex.allSatisfy(\.isHexDigit), "\(e.name)")
        }

        _ = try w.patch(
            ObjectKey(.deployments, namespace: "default", name: "web"),
            patch: ["spec": ["template": ["metadata": ["annotations": ["restart": "1"]]]]], type: .strategicMerge)
        _ = w.advance(to: Self.now + 20_000)
        let newRS = try #require(w.list(.replicaSets).first { $0.name != oldRS.name })
        let deployment = Self.lines(w, about: "web")
        #expect(deployment.suffix(2) == [
            "Normal ScalingReplicaSet Deployment/web deployment-controller Scaled up replica set \(newRS.name) from 0 to 1",
            "Normal ScalingReplicaSet Deployment/web deployment-controller Scaled down replica set \(oldRS.name) from 1 to 0",
        ])
        #expect(Self.lines(w, about: oldRS.name).last == "Normal SuccessfulDelete ReplicaSet/\(oldRS.name) replicaset-controller Deleted pod: \(oldPod.name)")
        #expect(Self.lines(w, about: oldPod.name).last == "Normal Killing Pod/\(oldPod.name)[spec.containers{web}] kubelet Stopping container web")
    }

    @Test func theSameEventAgainCountsOnTheFirstOne() throws {
        var w = try RS.world()
        _ = try w.create(RS.deployment("web", replicas: 1))
        _ = w.advance(to: Self.now + 5000)
        // The ReplicaSet scaled 1 → 0 → 1 → 0: each message once, the repeats counted.
        let key = ObjectKey(.deployments, namespace: "default", name: "web")
        for (i, replicas) in [0, 1, 0].enumerated() {
            _ = try w.patch(key, patch: ["spec": ["replicas": .int(Int64(replicas))]], type: .merge)
            _ = w.advance(to: Self.now + 5000 + Int64(i + 1) * 10_000)
        }
        let scaling = w.list(.events).filter { $0.body["reason"] == "ScalingReplicaSet" }
            .sorted { $0.metadata.creationTimestamp < $1.metadata.creationTimestamp }
        #expect(scaling.map { $0.body["count"]?.intValue ?? 0 } == [2, 2], "\(scaling.map(\.body))")
        let up = scaling[0]
        #expect(up.body["firstTimestamp"] == .string(Self.now.rfc3339))
        #expect(up.body["lastTimestamp"] == .string((Self.now + 15_000).rfc3339))
        #expect(up.metadata.creationTimestamp == Self.now)
    }

    @Test func eventsLiveOutsideTheObjectsTheControllersWalk() throws {
        var w = try RS.world()
        _ = try w.create(RS.deployment("web", replicas: 3))
        _ = w.advance(to: Self.now + 5000)
        #expect(w.list(.events).count > 10)
        #expect(!w.objects.values.contains { $0.resource == .events })
        let one = try #require(w.list(.events).first)
        #expect(w.get(one.key) == one)
        // Listing by the field selector kubectl describe sends.
        let pod = try #require(w.list(.pods).first)
        let selector = try FieldSelector(
            parsing: "involvedObject.name=\(pod.name),involvedObject.namespace=default,involvedObject.kind=Pod,involvedObject.uid=\(pod.metadata.uid)")
        #expect(w.list(.events, namespace: "default", fields: selector).count == 4)
        #expect(w.list(.events, fields: try FieldSelector(parsing: "source=default-scheduler")).count == 3)
        #expect(w.list(.events, fields: try FieldSelector(parsing: "type=Warning")).isEmpty)
    }

    @Test func eventsExpireAnHourAfterTheirLastWriteOnTheWorldsClock() async throws {
        var w = try RS.world()
        _ = try w.create(RS.deployment("web", replicas: 1))
        let clock = ManualClock(Self.now)
        let cluster = LiveWorld(world: w, clock: clock)
        let before = cluster.world.list(.events).count
        #expect(before == 2)  // ScalingReplicaSet, SuccessfulCreate; the pod is scheduled at the first tick
        let watch = try cluster.events()
        clock.advance(byMilliseconds: 5000)
        try await cluster.tick()
        #expect(cluster.world.list(.events).count == 6)
        clock.advance(byMilliseconds: 3_600_000 - 5000 - 1)
        try await cluster.tick()
        #expect(cluster.world.list(.events).count == 6, "nothing expires before its hour")
        clock.advance(byMilliseconds: 1)
        try await cluster.tick()
        // The three written at the start are gone; the kubelet's, written later, stay their hour.
        let left = cluster.world.list(.events).map { $0.body["reason"]?.stringValue ?? "" }.sorted()
        #expect(left == ["Created", "Pulled", "Started"])
        #expect(cluster.world.nextDue != nil)
        clock.advance(byMilliseconds: 10_000)
        try await cluster.tick()
        #expect(cluster.world.list(.events).isEmpty)
        #expect(cluster.world.nextDue == nil)
        cluster.close()
        var deleted = 0
        for await e in watch where e.object.resource == .events && e.type == .deleted { deleted += 1 }
        #expect(deleted == 6, "each expiry is a DELETED watch event")
    }

    @Test func aMergedEventLivesAnHourFromItsLastCountAndTheQueueStaysSmall() throws {
        var w = try RS.world()
        try RS.closeGate(&w)
        _ = try w.create(RS.deployment("web", replicas: 1), admission: RS.admission)
        // Two hours of refusals every 2 s: one event, its count, and a bounded expiry queue.
        _ = w.advance(to: Self.now + 7_200_000, admission: RS.admission)
        let failed = RS.events(w, reason: "FailedCreate")
        #expect(failed.count == 1 && (failed[0].body["count"]?.intValue ?? 0) > 3000)
        #expect(w.eventStore.pendingExpiries <= 2 * w.eventStore.count + 65, "\(w.eventStore.pendingExpiries)")
        // The ReplicaSet's other events and the Deployment's are older than an hour: gone.
        #expect(w.list(.events).map { $0.body["reason"]?.stringValue ?? "" } == ["FailedCreate"])
    }

    @Test func aDeletedNamespaceTakesItsEventsAlong() throws {
        var w = try RS.world()
        _ = try w.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "shop")))
        var d = RS.deployment("web", replicas: 1)
        d.metadata.namespace = "shop"
        _ = try w.create(d)
        _ = w.advance(to: Self.now + 5000)
        #expect(!w.list(.events, namespace: "shop").isEmpty)
        _ = try w.delete(ObjectKey(.namespaces, name: "shop"))
        _ = w.advance(to: Self.now + 60_000)
        #expect(w.get(ObjectKey(.namespaces, name: "shop")) == nil)
        #expect(w.list(.events, namespace: "shop").isEmpty)
    }
}
