import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

struct WorldTests {
    static let now = Timestamp(seconds: 1_767_225_600)
    static let bookinfo = ["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"]

    static func world(seed: UInt64 = 42, podCIDR: String = "10.244.0.0/16") -> World {
        World.defaultWorld(config: WorldConfig(seed: seed, podCIDR: IPv4Range(podCIDR)!), now: now)
    }

    static func podName(_ name: String, of deployment: String) -> Bool {
        let rest = name.dropFirst(deployment.count + 1).split(separator: "-")
        return name.hasPrefix(deployment + "-") && rest.count == 2 && rest[0].allSatisfy { "456789bcdf".contains($0) }
            && rest[1].count == 5
    }

    @Test func defaultWorldIsBookinfoInAnInjectedDefaultNamespace() throws {
        let w = Self.world()
        #expect(w.list(.namespaces).map(\.name) == ["default", "istio-system", "kube-node-lease", "kube-public", "kube-system"])
        #expect(w.namespaceLabels("default") == ["istio-injection": "enabled"])
        #expect(w.namespaceLabels("istio-system") == [:])
        #expect(w.list(.deployments, namespace: "default").map(\.name) == Self.bookinfo)
        #expect(w.list(.replicaSets, namespace: "default").count == 6)
        let services = w.services(in: "default").filter { $0.name != "kubernetes" }
        #expect(w.services(in: "default").map(\.name) == ["details", "kubernetes", "productpage", "ratings", "reviews"])
        for s in services {
            #expect(s.ports.map(\.port) == [9080])
            #expect(s.selector == ["app": s.name])
            #expect(IPv4Range("10.96.0.0/12")!.contains(s.clusterIP), "\(s.clusterIP)")
        }
        let pods = w.pods(in: "default")
        #expect(pods.count == 6)
        for (pod, deployment) in zip(pods, Self.bookinfo) {
            #expect(Self.podName(pod.name, of: deployment), "\(pod.name)")
            #expect(pod.isReady && pod.phase == "Running")
            #expect(pod.ip.hasPrefix("10.244."))
            #expect(pod.labels["pod-template-hash"] != nil)
        }
        #expect(Set(pods.map(\.ip)).count == 6)
        #expect(w.endpoints(of: try #require(services.first { $0.name == "reviews" })).count == 3)
        #expect(!w.hasPendingTransitions)
    }

    @Test func theSameSeedGivesTheSameWorld() {
        #expect(Self.world(seed: 1) == Self.world(seed: 1))
        #expect(Self.world(seed: 1).pods().map(\.name) != Self.world(seed: 2).pods().map(\.name))
    }

    @Test func podIPsComeFromTheConfiguredRange() {
        let w = Self.world(podCIDR: "192.168.7.0/24")
        for pod in w.pods() { #expect(pod.ip.hasPrefix("192.168.7."), "\(pod.ip)") }
    }

    /// A pod's phase and readiness at each event, the model-level view of `kubectl get pods -w`.
    static func stage(_ o: KubeObject) -> String {
        let pod = PodView(o)
        if pod.isTerminating {
            let running = (o.status["containerStatuses"]?.arrayValue ?? []).contains { $0["state"]?["running"] != nil }
            return running ? "terminating" : "stopped"
        }
        if o.spec["nodeName"] == nil { return "pending" }
        let waiting = (o.status["containerStatuses"]?.arrayValue ?? []).compactMap { $0["state"]?["waiting"]?["reason"]?.stringValue }
        if let reason = waiting.first { return reason }
        if pod.phase == "Pending" { return "bound" }
        return pod.isReady ? "ready" : "running"
    }

    @Test func rolloutRestartBringsTheNewPodUpThenRetiresTheOld() throws {
        var w = Self.world()
        let key = ObjectKey(.deployments, namespace: "default", name: "details-v1")
        let old = try #require(w.pods(in: "default").first { $0.name.hasPrefix("details-v1-") })
        let oldHash = try #require(old.labels["pod-template-hash"])
        var events: [WorldEvent] = []
        let (_, patched) = try w.patch(
            key, patch: ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"]]]]],
            type: .strategicMerge)
        events += patched
        for step in 1...8 { events += w.advance(to: Self.now + Int64(step) * 1000) }

        let podEvents = events.filter { $0.object.resource == .pods }
        let new = try #require(w.pods(in: "default").first { $0.name.hasPrefix("details-v1-") })
        #expect(new.name != old.name)
        #expect(new.labels["pod-template-hash"] != oldHash)
        let trace = podEvents.map { "\($0.object.name == old.name ? "old" : "new") \($0.type.rawValue) \(Self.stage($0.object))" }
        #expect(
            trace == [
                "new ADDED pending", "new MODIFIED bound", "new MODIFIED ContainerCreating", "new MODIFIED running",
                "new MODIFIED ready", "old MODIFIED terminating", "old MODIFIED stopped", "old DELETED stopped",
            ])
        // The Deployment keeps both ReplicaSets, the old one scaled to 0 (revision history).
        let sets = w.list(.replicaSets, namespace: "default", labels: try LabelSelector(parsing: "app=details"))
        #expect(sets.map { $0.spec["replicas"] } == sets.map { $0.labels["pod-template-hash"] == oldHash ? 0 : 1 })
        #expect(w.get(key)?.metadata.annotations["deployment.kubernetes.io/revision"] == "2")
        #expect(w.get(key)?.status["updatedReplicas"] == 1)
        #expect(w.get(key)?.metadata.generation == 2)
    }

    @Test func resourceVersionsIncreaseWithEveryEvent() throws {
        var w = Self.world()
        let start = w.resourceVersion
        var events = try w.delete(ObjectKey(.deployments, namespace: "default", name: "ratings-v1")).1
        events += w.advance(to: Self.now + 5000)
        let rvs = events.map(\.resourceVersion)
        #expect(rvs == Array(start + 1...start + UInt64(rvs.count)))
        #expect(w.resourceVersion == rvs.last)
        for o in w.objects.values { #expect(o.metadata.resourceVersion <= w.resourceVersion) }
    }

    @Test func deletingADeploymentCollectsItsReplicaSetsAndPods() throws {
        var w = Self.world()
        _ = try w.delete(ObjectKey(.deployments, namespace: "default", name: "reviews-v2"))
        #expect(w.list(.replicaSets, labels: try LabelSelector(parsing: "version=v2,app=reviews")).isEmpty)
        let pod = try #require(w.pods().first { $0.name.hasPrefix("reviews-v2-") })
        #expect(pod.isTerminating && !pod.isReady)
        _ = w.advance(to: Self.now + 2000)
        #expect(!w.pods().contains { $0.name.hasPrefix("reviews-v2-") })
    }

    @Test func deletingANamespaceEmptiesItThenRemovesIt() throws {
        var w = Self.world()
        _ = try w.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "demo")))
        var d = World.bookinfoDeployment(app: "details", version: "v1")
        d.metadata.namespace = "demo"
        _ = try w.create(d)
        _ = w.advance(to: Self.now + 4000)
        #expect(w.pods(in: "demo").first?.isReady == true)
        let (ns, _) = try w.delete(ObjectKey(.namespaces, name: "demo"))
        #expect(ns.status["phase"] == "Terminating")
        #expect(throws: WorldError.self) {
            _ = try w.create(KubeObject(resource: .configMaps, metadata: ObjectMeta(name: "c", namespace: "demo")))
        }
        _ = w.advance(to: Self.now + 7000)
        #expect(w.get(ObjectKey(.namespaces, name: "demo")) == nil)
        #expect(w.objects.keys.allSatisfy { $0.namespace != "demo" })
    }

    static let namespaceErrors: [(String, WorldError.Code, String)] = [
        ("default", WorldError.Code.forbidden, #"namespaces "default" is forbidden: this namespace may not be deleted"#),
        ("nope", WorldError.Code.notFound, #"namespaces "nope" not found"#),
    ]

    @Test(arguments: namespaceErrors)
    func namespaceDeletionErrors(name: String, code: WorldError.Code, message: String) {
        var w = Self.world()
        do {
            _ = try w.delete(ObjectKey(.namespaces, name: name))
            Issue.record("deleting namespace \(name) succeeded")
        } catch {
            #expect(error.code == code)
            #expect(error.message == message)
        }
    }

    @Test func createRefusals() throws {
        var w = Self.world()
        func refusal(_ o: KubeObject) -> WorldError? {
            do {
                _ = try w.create(o)
                return nil
            } catch { return error }
        }
        #expect(refusal(KubeObject(resource: .configMaps, metadata: ObjectMeta(name: "c", namespace: "nowhere")))?.message == #"namespaces "nowhere" not found"#)
        #expect(refusal(World.bookinfoDeployment(app: "details", version: "v1"))?.message == #"deployments.apps "details-v1" already exists"#)
        #expect(refusal(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "Bad_Name")))?.code == .invalid)
        var noSelector = World.bookinfoDeployment(app: "x", version: "v1")
        noSelector.spec["selector"] = nil
        #expect(
            refusal(noSelector)?.message
                == #"Deployment.apps "x-v1" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"x", "version":"v1"}: `selector` does not match template `labels`]"#)
        var mismatch = World.bookinfoDeployment(app: "y", version: "v1")
        mismatch.spec["selector"] = ["matchLabels": ["app": "other"]]
        #expect(refusal(mismatch)?.causes.first?.field == "spec.template.metadata.labels")
        var badLabel = KubeObject(resource: .configMaps, metadata: ObjectMeta(name: "c", namespace: "default"))
        badLabel.metadata.labels = ["k": "not ok!"]
        #expect(refusal(badLabel)?.code == .invalid)
    }

    @Test func updatesCheckTheResourceVersionAndNoOpsKeepIt() throws {
        var w = Self.world()
        let key = ObjectKey(.services, namespace: "default", name: "ratings")
        let current = try #require(w.get(key))
        let (same, events) = try w.update(current)
        #expect(events.isEmpty && same.metadata.resourceVersion == current.metadata.resourceVersion)
        var stale = current
        stale.metadata.resourceVersion -= 1
        stale.metadata.labels["x"] = "y"
        #expect(throws: WorldError.self) { _ = try w.update(stale) }
        var changed = current
        changed.metadata.labels["x"] = "y"
        let (updated, _) = try w.update(changed)
        // The Service's labels are copied to its Endpoints and slices, which are written after it.
        #expect(updated.metadata.resourceVersion > current.metadata.resourceVersion && w.get(key) == updated)
        #expect(updated.spec["clusterIP"] == current.spec["clusterIP"])
    }

    /// Pods created by a ReplicaSet go through admission, as Istio's injector needs.
    struct Injector: AdmissionControl {
        func admit(_ object: inout KubeObject, operation: AdmissionOperation, in world: World) throws(WorldError) {
            guard object.resource == .pods, operation == .create else { return }
            var spec = object.spec
            spec["initContainers"] = [["name": "istio-init", "image": "docker.io/istio/proxyv2:1.6.0"]]
            spec["containers"] = .array((spec["containers"]?.arrayValue ?? []) + [["name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.6.0"]])
            object.spec = spec
        }
    }

    @Test func admittedPodsStepThroughInitContainers() throws {
        var w = Self.world()
        var events = try w.patch(
            ObjectKey(.deployments, namespace: "default", name: "ratings-v1"),
            patch: ["spec": ["template": ["metadata": ["annotations": ["restart": "1"]]]]], type: .strategicMerge,
            admission: [Injector()]
        ).1
        for step in 1...5 { events += w.advance(to: Self.now + Int64(step) * 1000, admission: [Injector()]) }
        let new = try #require(w.pods(in: "default").first { $0.name.hasPrefix("ratings-v1-") })
        #expect(new.containerNames == ["ratings", "istio-proxy"])
        #expect(new.initContainerNames == ["istio-init"])
        let states = events.filter { $0.object.name == new.name }.map { e -> String in
            let s = e.object.status
            let initState = s["initContainerStatuses"]?.arrayValue?.first?["state"]?.objectValue?.keys.first ?? "-"
            let ready = (s["containerStatuses"]?.arrayValue ?? []).filter { $0["ready"] == true }.count
            return "\(initState)/\(ready)"
        }
        #expect(states == ["-/0", "-/0", "waiting/0", "terminated/0", "terminated/1", "terminated/2"])
    }
}

extension IPv4Range {
    func contains(_ ip: String) -> Bool {
        guard let v = IPv4Range.parse(ip) else { return false }
        return v & (UInt32.max << (32 - prefixLength)) == base
    }
}
