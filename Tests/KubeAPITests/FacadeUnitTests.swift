@testable import KubeAPI
import EmulatorAPI
import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

/// The facade's pure parts, without HTTP or kubectl.
struct FacadeUnitTests {
    struct Injector: AdmissionControl {
        func admit(_ object: inout KubeObject, operation: AdmissionOperation, in world: World) throws(WorldError) {
            guard object.resource == .pods, operation == .create else { return }
            object.spec["initContainers"] = [["name": "istio-init", "image": "proxyv2"]]
            object.spec["containers"] = .array((object.spec["containers"]?.arrayValue ?? []) + [["name": "istio-proxy", "image": "proxyv2"]])
        }
    }

    /// READY and STATUS as `printPod` derives them, at each step of an injected pod's life
    /// (docs/istio-facts.md §8.3: Pending, Pending, Init:0/1, PodInitializing, 1/2 Running, 2/2 Running,
    /// then Terminating 2/2 → 0/2).
    @Test func injectedPodColumnsFollowTheRealSequence() throws {
        let now = Timestamp(seconds: 1_767_225_600)
        var w = World.defaultWorld(config: WorldConfig(seed: 9), now: now)
        let old = try #require(w.pods().first { $0.name.hasPrefix("productpage-v1-") }?.name)
        var events = try w.patch(
            ObjectKey(.deployments, namespace: "default", name: "productpage-v1"),
            patch: ["spec": ["template": ["metadata": ["annotations": ["r": "1"]]]]], type: .strategicMerge, admission: [Injector()]
        ).1
        for step in 1...8 { events += w.advance(to: now + Int64(step) * 1000, admission: [Injector()]) }
        let rows = events.filter { $0.object.resource == .pods }.map { e -> String in
            let c = TableConverter.podColumns(e.object)
            return "\(e.object.name == old ? "old" : "new") \(c.ready) \(c.status)"
        }
        #expect(
            rows == [
                "new 0/2 Pending", "new 0/2 Pending", "new 0/2 Init:0/1", "new 0/2 PodInitializing", "new 1/2 Running",
                "new 2/2 Running", "old 1/1 Terminating", "old 0/1 Terminating", "old 0/1 Terminating",
            ])
    }

    @Test func tableRowsCarryMetadataForNamespaceAndLabelColumns() throws {
        let w = World.defaultWorld(config: WorldConfig(seed: 9), now: Timestamp(seconds: 1_767_225_600))
        let t = TableConverter(now: w.now)
        let table = t.table(.namespaces, w.list(.namespaces), resourceVersion: w.resourceVersion, include: .metadata)
        #expect(table["kind"] == "Table")
        #expect(table["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["Name", "Status", "Age"])
        let first = try #require(table["rows"]?.arrayValue?.first)
        #expect(first["cells"] == ["default", "Active", "60m"])
        #expect(first["object"]?["kind"] == "PartialObjectMetadata")
        #expect(first[path: ["object", "metadata", "labels"]] == ["istio-injection": "enabled"])
        #expect(TableConverter.columns(for: .pods).filter { $0.priority == 0 }.map(\.name) == ["Name", "Ready", "Status", "Restarts", "Age"])
    }

    @Test func pathsParseAsTheAPIServerRoutesThem() {
        #expect(APIPath("/api") == .coreVersions)
        #expect(APIPath("/apis") == .groups)
        #expect(APIPath("/apis/apps") == .group("apps"))
        #expect(APIPath("/apis/apps/v1") == .resourceList(group: "apps", version: "v1"))
        #expect(APIPath("/api/v1/pods") == .resource(.init(group: "", version: "v1", plural: "pods")))
        #expect(APIPath("/api/v1/namespaces/default") == .resource(.init(group: "", version: "v1", plural: "namespaces", name: "default")))
        #expect(
            APIPath("/api/v1/namespaces/default/pods/p") == .resource(.init(group: "", version: "v1", plural: "pods", namespace: "default", name: "p")))
        #expect(
            APIPath("/apis/apps/v1/namespaces/ns/deployments/d/scale")
                == .resource(.init(group: "apps", version: "v1", plural: "deployments", namespace: "ns", name: "d", subresource: "scale")))
        #expect(APIPath("/openapi/v3") == .openAPIV3(nil))
        #expect(APIPath("/openapi/v3/apis/apps/v1") == .openAPIV3("apis/apps/v1"))
        #expect(APIPath("/healthz") == .unknown)
    }

    @Test func queriesDecodeLikeGo() {
        #expect(formDecoded("labelSelector=app+in+%28web%2Cclient%29&watch=true") == ["labelSelector": "app in (web,client)", "watch": "true"])
        #expect(formDecoded("fieldSelector=metadata.name%3Dx&a=%2B&flag") == ["fieldSelector": "metadata.name=x", "a": "+", "flag": ""])
    }

    @Test func errorsBecomeKubernetesStatuses() {
        let notFound = KubeStatus.json(.notFound(.deployments, "x"))
        #expect(notFound["code"] == 404)
        #expect(notFound["reason"] == "NotFound")
        #expect(notFound["details"] == ["name": "x", "group": "apps", "kind": "deployments"])
        let invalid = KubeStatus.json(.invalid(.services, "s", ["spec.ports: Required value"]))
        #expect(invalid["code"] == 422)
        #expect(invalid[path: ["details", "kind"]] == "Service")
        #expect(invalid[path: ["details", "causes"]] == [["reason": "FieldValueRequired", "field": "spec.ports", "message": "Required value"]])
    }

    @Test func metricsAreServedAsPrometheusTextWhenTheEmulatorProvidesThem() async throws {
        let metrics = await EmulatorEndpoint.metrics { "pilot_xds 7\n" }.respond(EndpointRequest(path: "/metrics"))
        #expect(metrics.status == 200)
        #expect(metrics.contentType.hasPrefix("text/plain; version=0.0.4"))
        #expect(String(decoding: metrics.body, as: UTF8.self) == "pilot_xds 7\n")
        // Without that endpoint it is an unknown path of the Kubernetes API, as any other.
        let world = World.defaultWorld(config: WorldConfig(seed: 9), now: Timestamp(seconds: 1_767_225_600))
        let without = KubeAPIHandler(cluster: LiveWorld(world: world, clock: ManualClock(world.now)), serverAddress: "127.0.0.1:1")
        guard case .json(404, _) = await without.respond(.init(method: "GET", path: "/metrics")) else {
            Issue.record("GET /metrics without metrics should be 404")
            return
        }
    }

    @Test func unsupportedRequestsAnswerWithAStatusNotACrash() async throws {
        let world = World.defaultWorld(config: WorldConfig(seed: 9), now: Timestamp(seconds: 1_767_225_600))
        let handler = KubeAPIHandler(cluster: LiveWorld(world: world, clock: ManualClock(world.now)), serverAddress: "127.0.0.1:1")
        func status(_ r: KubeAPIHandler.Request) async -> Int {
            if case .json(let s, _) = await handler.respond(r) { return s }
            return 200
        }
        #expect(await status(.init(method: "GET", path: "/api/v1/persistentvolumes")) == 404)
        #expect(await status(.init(method: "GET", path: "/apis/batch/v1/jobs")) == 404)
        #expect(await status(.init(method: "DELETE", path: "/api/v1/namespaces/default/pods")) == 405)
        #expect(await status(.init(method: "POST", path: "/api")) == 405)
        #expect(await status(.init(method: "POST", path: "/api/v1/namespaces/default/configmaps", contentType: "application/json", body: Array("{nope".utf8))) == 400)
        #expect(await status(.init(method: "PATCH", path: "/api/v1/namespaces/default", contentType: "application/apply-patch+yaml", body: Array("{}".utf8))) == 422)
        #expect(await status(.init(method: "PATCH", path: "/api/v1/namespaces/default", contentType: "application/x-other-patch", body: Array("{}".utf8))) == 415)
        #expect(await status(.init(method: "PATCH", path: "/api/v1/namespaces/default", contentType: "application/merge-patch+json", body: Array("[1]".utf8))) == 400)
        #expect(await status(.init(method: "GET", path: "/api/v1/pods", query: ["labelSelector": "a in b"])) == 400)
        #expect(await status(.init(method: "GET", path: "/api/v1/pods", query: ["fieldSelector": "spec.color=red"])) == 400)
        #expect(await status(.init(method: "GET", path: "/api/v1/namespaces/default/pods/x/log")) == 404)
        #expect(await status(.init(method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/details-v1/scale")) == 200)
    }
}
