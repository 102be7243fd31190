import JSON
import Kubernetes
import Testing

/// Endpoints and EndpointSlices follow the pods a Service selects, as the endpoints and
/// endpointslice controllers keep them (`pkg/controller/endpoint`, `staging/src/k8s.io/endpointslice`
/// at v1.32.0): readiness, scaling, deletion, selector changes and named target ports.
struct EndpointsControllerTests {
    static let now = Timestamp(seconds: 1_767_225_600)
    static let step: Int64 = 1000

    static func world() throws -> World {
        var world = World(now: now)
        _ = try world.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "default")))
        return world
    }

    static func deployment(_ name: String, replicas: Int64, containerPort: JSONValue? = nil) -> KubeObject {
        let labels: JSONValue = ["app": .string(name)]
        var container: JSONValue = ["name": "app", "image": "nginx:1.27"]
        if let containerPort { container["ports"] = [containerPort] }
        return KubeObject(
            resource: .deployments, metadata: ObjectMeta(name: name, namespace: "default"),
            body: [
                "spec": [
                    "replicas": .int(replicas), "selector": ["matchLabels": labels],
                    "template": ["metadata": ["labels": labels], "spec": ["containers": [container]]],
                ]
            ])
    }

    static func service(_ name: String, app: String, targetPort: JSONValue = 8080) -> KubeObject {
        KubeObject(
            resource: .services, metadata: ObjectMeta(name: name, namespace: "default", labels: ["tier": "web"]),
            body: ["spec": ["selector": ["app": .string(app)], "ports": [["name": "http", "port": 80, "targetPort": targetPort]]]])
    }

    static func endpoints(_ w: World, _ name: String) -> KubeObject? { w.get(ObjectKey(.endpoints, namespace: "default", name: name)) }

    static func slices(_ w: World, _ service: String) -> [KubeObject] {
        w.list(.endpointSlices, namespace: "default", labels: try! LabelSelector(parsing: "kubernetes.io/service-name=\(service)"))
    }

    static func addresses(_ o: KubeObject?, _ field: String) -> [String] {
        (o?.body["subsets"]?.arrayValue ?? []).flatMap { ($0[field]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue } }
    }

    static func sliceEndpoints(_ w: World, _ service: String) -> [JSONValue] {
        slices(w, service).flatMap { $0.body["endpoints"]?.arrayValue ?? [] }
    }

    static func advance(_ w: inout World, steps: Int64) { _ = w.advance(to: w.now + steps * step) }

    @Test func endpointsFollowReadiness() throws {
        var w = try Self.world()
        _ = try w.create(Self.service("web", app: "web"))
        // Before any pod: an Endpoints without subsets and one placeholder slice.
        #expect(Self.endpoints(w, "web")?.body["subsets"] == nil)
        let placeholder = try #require(Self.slices(w, "web").first)
        #expect(Self.slices(w, "web").count == 1 && placeholder.body["endpoints"] == .null && placeholder.body["ports"] == .null)

        _ = try w.create(Self.deployment("web", replicas: 2))
        Self.advance(&w, steps: 2)  // scheduled, creating, started: IPs, not ready
        let pods = w.pods(in: "default")
        #expect(pods.count == 2 && pods.allSatisfy { !$0.ip.isEmpty && !$0.isReady })
        #expect(Self.addresses(Self.endpoints(w, "web"), "addresses") == [])
        #expect(Set(Self.addresses(Self.endpoints(w, "web"), "notReadyAddresses")) == Set(pods.map(\.ip)))
        #expect(Self.sliceEndpoints(w, "web").allSatisfy { $0[path: ["conditions", "ready"]] == false })

        Self.advance(&w, steps: 1)  // ready
        let ep = try #require(Self.endpoints(w, "web"))
        #expect(Set(Self.addresses(ep, "addresses")) == Set(pods.map(\.ip)))
        #expect(Self.addresses(ep, "notReadyAddresses") == [])
        #expect(ep.body["subsets"]?.arrayValue?.first?["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
        #expect(ep.labels == ["tier": "web"])
        #expect(ep.metadata.annotations["endpoints.kubernetes.io/last-change-trigger-time"] == w.now.rfc3339)
        let address = try #require(ep.body["subsets"]?.arrayValue?.first?["addresses"]?.arrayValue?.first)
        #expect(address["nodeName"] == "xdsemu-node" && address[path: ["targetRef", "kind"]] == "Pod")

        let slice = try #require(Self.slices(w, "web").first)
        #expect(Self.slices(w, "web").count == 1 && slice.name == placeholder.name, "the placeholder is reused")
        #expect(slice.name.hasPrefix("web-") && slice.name.count == "web-".count + 5 && slice.metadata.generateName == "web-")
        #expect(slice.labels == [
            "tier": "web", "kubernetes.io/service-name": "web", "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
        ])
        #expect(slice.metadata.ownerReferences.map(\.kind) == ["Service"] && slice.metadata.ownerReferences.first?.controller == true)
        #expect(slice.body["addressType"] == "IPv4")
        #expect(slice.body["ports"] == [["name": "http", "port": 8080, "protocol": "TCP"]])
        for e in slice.body["endpoints"]?.arrayValue ?? [] {
            #expect(e["conditions"] == ["ready": true, "serving": true, "terminating": false])
            #expect(e["nodeName"] == "xdsemu-node" && e[path: ["targetRef", "namespace"]] == "default")
        }
    }

    @Test func scalingAndDeletingMoveTheEndpoints() throws {
        var w = try Self.world()
        _ = try w.create(Self.service("web", app: "web"))
        _ = try w.create(Self.deployment("web", replicas: 3))
        Self.advance(&w, steps: 4)
        #expect(Self.addresses(Self.endpoints(w, "web"), "addresses").count == 3)

        _ = try w.patch(ObjectKey(.deployments, namespace: "default", name: "web"), patch: ["spec": ["replicas": 1]], type: .merge)
        // Two pods terminate: gone from the Endpoints at once, still in the slice as terminating.
        #expect(Self.addresses(Self.endpoints(w, "web"), "addresses").count == 1)
        let terminating = Self.sliceEndpoints(w, "web").filter { $0[path: ["conditions", "terminating"]] == true }
        #expect(terminating.count == 2)
        #expect(terminating.allSatisfy { $0[path: ["conditions", "ready"]] == false && $0[path: ["conditions", "serving"]] == true })
        Self.advance(&w, steps: 2)  // stopped, then removed
        #expect(Self.sliceEndpoints(w, "web").count == 1)

        _ = try w.delete(ObjectKey(.services, namespace: "default", name: "web"))
        #expect(Self.endpoints(w, "web") == nil && Self.slices(w, "web").isEmpty)
    }

    @Test func aSelectorChangeEmptiesAndRefillsTheEndpoints() throws {
        var w = try Self.world()
        _ = try w.create(Self.service("front", app: "web"))
        _ = try w.create(Self.deployment("web", replicas: 2))
        _ = try w.create(Self.deployment("api", replicas: 1))
        Self.advance(&w, steps: 4)
        #expect(Self.addresses(Self.endpoints(w, "front"), "addresses").count == 2)
        let key = ObjectKey(.services, namespace: "default", name: "front")
        _ = try w.patch(key, patch: ["spec": ["selector": ["app": "api"]]], type: .merge)
        let api = w.pods(in: "default").filter { $0.labels["app"] == "api" }.map(\.ip)
        #expect(Self.addresses(Self.endpoints(w, "front"), "addresses") == api)
        #expect(Self.sliceEndpoints(w, "front").compactMap { $0["addresses"]?.arrayValue?.first?.stringValue } == api)
        // A pod relabelled out of the selector leaves it.
        let pod = try #require(w.pods(in: "default").first { $0.labels["app"] == "api" })
        _ = try w.patch(ObjectKey(.pods, namespace: "default", name: pod.name), patch: ["metadata": ["labels": ["app": "moved"]]], type: .merge)
        #expect(Self.addresses(Self.endpoints(w, "front"), "addresses") == [])
    }

    @Test func namedTargetPortsResolveThroughContainerPorts() throws {
        var w = try Self.world()
        _ = try w.create(Self.service("named", app: "named", targetPort: "web"))
        _ = try w.create(Self.deployment("named", replicas: 1, containerPort: ["name": "web", "containerPort": 9376]))
        _ = try w.create(Self.service("unnamed", app: "plain", targetPort: "web"))
        _ = try w.create(Self.deployment("plain", replicas: 1))
        Self.advance(&w, steps: 4)
        let ports = Self.endpoints(w, "named")?.body["subsets"]?.arrayValue?.first?["ports"]
        #expect(ports == [["name": "http", "port": 9376, "protocol": "TCP"]])
        #expect(Self.slices(w, "named").first?.body["ports"] == [["name": "http", "port": 9376, "protocol": "TCP"]])
        // No container port of that name: no Endpoints address, a slice endpoint without ports.
        #expect(Self.endpoints(w, "unnamed")?.body["subsets"] == nil)
        let slice = try #require(Self.slices(w, "unnamed").first)
        #expect(slice.body["ports"] == .null && slice.body["endpoints"]?.arrayValue?.count == 1)
    }

    @Test func aPodChangeRewritesOnlyTheServicesThatSelectIt() throws {
        var w = try Self.world()
        _ = try w.create(Self.service("a", app: "a"))
        _ = try w.create(Self.service("b", app: "b"))
        _ = try w.create(Self.deployment("a", replicas: 1))
        _ = try w.create(Self.deployment("b", replicas: 1))
        Self.advance(&w, steps: 4)
        let (_, events) = try w.patch(ObjectKey(.deployments, namespace: "default", name: "a"), patch: ["spec": ["replicas": 2]], type: .merge)
        let later = w.advance(to: w.now + 4 * Self.step)
        let touched = Set((events + later).filter { [.endpoints, .endpointSlices].contains($0.object.resource) }.map {
            $0.object.labels["kubernetes.io/service-name"] ?? $0.object.name
        })
        #expect(touched == ["a"])
        #expect(Self.addresses(Self.endpoints(w, "a"), "addresses").count == 2)
    }

    @Test func aServiceWithoutSelectorIsLeftToItsOwner() throws {
        var w = try Self.world()
        let manual = KubeObject(
            resource: .services, metadata: ObjectMeta(name: "external", namespace: "default"),
            body: ["spec": ["ports": [["port": 5432]]]])
        _ = try w.create(manual)
        #expect(Self.endpoints(w, "external") == nil && Self.slices(w, "external").isEmpty)
    }

    @Test func everyNewNamespaceGetsADefaultServiceAccount() throws {
        var w = try Self.world()
        _ = try w.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "team")))
        #expect(w.get(ObjectKey(.serviceAccounts, namespace: "team", name: "default")) != nil)
        #expect(w.get(ObjectKey(.serviceAccounts, namespace: "kube-node-lease", name: "default")) != nil)
    }
}
