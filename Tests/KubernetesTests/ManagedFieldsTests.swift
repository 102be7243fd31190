import JSON
import Kubernetes
import Testing

/// Field managers and server-side apply on the pure world, against what the API server
/// (structured-merge-diff v4.4.2, kubernetes v1.32.0) records and answers.
struct ManagedFieldsTests {
    static let now = Timestamp(seconds: 1_767_225_600)
    static let web = ObjectKey(.deployments, namespace: "default", name: "web")

    static func world() throws -> World {
        var w = World(now: now)
        _ = try w.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "default")))
        return w
    }

    static func deployment(replicas: Int64 = 2, image: String = "nginx:1.25", labels: JSONValue = ["app": "web"]) -> JSONValue {
        [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": labels],
            "spec": [
                "replicas": .int(replicas), "selector": ["matchLabels": ["app": "web"]],
                "template": [
                    "metadata": ["labels": ["app": "web"]],
                    "spec": ["containers": [["name": "nginx", "image": .string(image), "ports": [["containerPort": 80]]]]],
                ],
            ],
        ]
    }

    static func entry(_ o: KubeObject, _ manager: String) -> ManagedFieldsEntry? {
        o.metadata.managedFields.first { $0.manager == manager }
    }

    @Test func applyRecordsExactlyTheAppliedFieldsInFieldsV1() throws {
        var w = try Self.world()
        let (o, _) = try w.apply(Self.web, config: Self.deployment(), manager: "kubectl", force: false)
        #expect(o.metadata.managedFields.count == 1)
        let e = try #require(Self.entry(o, "kubectl"))
        #expect(e.operation == .apply)
        #expect(e.apiVersion == "apps/v1")
        // Defaulted fields (strategy, imagePullPolicy, protocol) are not the applier's; a list
        // item is a member itself (`.`), a map entry under a struct field is not.
        let container: JSONValue = [
            ".": [:], "f:image": [:], "f:name": [:],
            "f:ports": ["k:{\"containerPort\":80,\"protocol\":\"TCP\"}": [".": [:], "f:containerPort": [:]]],
        ]
        let expected: JSONValue = [
            "f:metadata": ["f:labels": ["f:app": [:]]],
            "f:spec": [
                "f:replicas": [:], "f:selector": [:],
                "f:template": [
                    "f:metadata": ["f:labels": ["f:app": [:]]],
                    "f:spec": ["f:containers": ["k:{\"name\":\"nginx\"}": container]],
                ],
            ],
        ]
        #expect(e.fieldsV1 == expected)
        #expect(o.json[path: ["metadata", "managedFields"]]?.arrayValue?.first?["manager"] == "kubectl")
    }

    @Test func anUpdateOwnsWhatItAddedWithMapsAsMembers() throws {
        var w = try Self.world()
        let obj = try KubeObject(json: Self.deployment(), resource: .deployments)
        let (o, _) = try w.create(obj, owner: FieldOwner(manager: "kubectl-create", operation: .update))
        let e = try #require(Self.entry(o, "kubectl-create"))
        #expect(e.operation == .update)
        let fields = e.fields
        #expect(fields.contains(FieldPath("metadata", "labels")))  // a map that appeared: `.: {}`
        #expect(e.fieldsV1[path: ["f:metadata", "f:labels", "."]] == [:])
        #expect(fields.contains(FieldPath("spec", "progressDeadlineSeconds")))  // defaulted, so written by it
        #expect(!fields.contains(FieldPath("spec")))  // structs are never members
        #expect(!fields.contains(FieldPath("status", "replicas")))  // the server's
    }

    @Test func conflictingApplyIs409WithTheManagerAndPathThenForceTakesOwnership() throws {
        var w = try Self.world()
        let obj = try KubeObject(json: Self.deployment(), resource: .deployments)
        _ = try w.create(obj, owner: FieldOwner(manager: "kubectl-client-side-apply", operation: .update))
        do {
            _ = try w.apply(Self.web, config: Self.deployment(replicas: 5), manager: "kubectl", force: false)
            Issue.record("an apply changing a field another manager owns must conflict")
        } catch {
            #expect(error.code == .conflict)
            #expect(error.message == "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas")
            #expect(error.causes.map(\.reason) == ["FieldManagerConflict"])
            #expect(error.causes.map(\.field) == [".spec.replicas"])
            #expect(error.causes.map(\.message) == ["conflict with \"kubectl-client-side-apply\" using apps/v1"])
        }
        #expect(w.get(Self.web)?.spec["replicas"] == 2)  // nothing stored

        let (forced, _) = try w.apply(Self.web, config: Self.deployment(replicas: 5), manager: "kubectl", force: true)
        #expect(forced.spec["replicas"] == 5)
        #expect(Self.entry(forced, "kubectl")?.fields.contains(FieldPath("spec", "replicas")) == true)
        #expect(Self.entry(forced, "kubectl-client-side-apply")?.fields.contains(FieldPath("spec", "replicas")) == false)
    }

    @Test func equalValuesAreSharedNotConflictsAndConflictsListEachPath() throws {
        var w = try Self.world()
        _ = try w.apply(Self.web, config: Self.deployment(), manager: "a", force: false)
        let (o, _) = try w.apply(Self.web, config: Self.deployment(), manager: "b", force: false)
        #expect(Self.entry(o, "a")?.fields.contains(FieldPath("spec", "replicas")) == true)
        #expect(Self.entry(o, "b")?.fields.contains(FieldPath("spec", "replicas")) == true)

        do {
            _ = try w.apply(Self.web, config: Self.deployment(replicas: 3, image: "nginx:2"), manager: "c", force: false)
            Issue.record("expected a conflict")
        } catch {
            #expect(
                error.message == """
                    Apply failed with 4 conflicts: conflicts with "a":
                    - .spec.replicas
                    - .spec.template.spec.containers[name="nginx"].image
                    conflicts with "b":
                    - .spec.replicas
                    - .spec.template.spec.containers[name="nginx"].image
                    """)
        }
    }

    @Test func fieldsAnApplierStopsApplyingGoUnlessSomeoneElseOwnsThem() throws {
        var w = try Self.world()
        _ = try w.apply(Self.web, config: Self.deployment(labels: ["app": "web", "tier": "front", "team": "x"]), manager: "kubectl", force: false)
        // Another applier sets `team` to the same value (co-owning it); an updater changes
        // `owner` (an update that changes nothing would own nothing).
        _ = try w.patch(
            Self.web, patch: ["metadata": ["labels": ["owner": "me"]]], type: .merge, owner: FieldOwner(manager: "labeler", operation: .update))
        let other: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web", "labels": ["team": "x"]]]
        _ = try w.apply(Self.web, config: other, manager: "teams", force: false)
        let (o, _) = try w.apply(Self.web, config: Self.deployment(labels: ["app": "web"]), manager: "kubectl", force: false)
        #expect(o.labels == ["app": "web", "team": "x", "owner": "me"])
        #expect(Self.entry(o, "kubectl")?.fields.contains(FieldPath("metadata", "labels", "tier")) == false)
    }

    @Test func aListItemAnApplierStopsApplyingGoesWhole() throws {
        var w = try Self.world()
        let svc = ObjectKey(.services, namespace: "default", name: "svc")
        func service(_ ports: [JSONValue]) -> JSONValue {
            ["apiVersion": "v1", "kind": "Service", "metadata": ["name": "svc"], "spec": ["selector": ["app": "web"], "ports": .array(ports)]]
        }
        _ = try w.apply(svc, config: service([["name": "http", "port": 80], ["name": "grpc", "port": 9090]]), manager: "kubectl", force: false)
        let (o, _) = try w.apply(svc, config: service([["name": "http", "port": 80]]), manager: "kubectl", force: false)
        #expect(o.spec["ports"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["http"])
        let entry = try #require(Self.entry(o, "kubectl"))
        #expect(entry.fieldsV1[path: ["f:spec", "f:ports"]]?.objectValue?.map(\.key) == ["k:{\"port\":80,\"protocol\":\"TCP\"}"])
        #expect(entry.fieldsV1[path: ["f:spec", "f:selector"]] == ["f:app": [:]])
    }

    @Test func aNoOpApplyKeepsTheResourceVersionAndTime() throws {
        var w = try Self.world()
        let (first, _) = try w.apply(Self.web, config: Self.deployment(), manager: "kubectl", force: false)
        let (again, events) = try w.apply(Self.web, config: Self.deployment(), manager: "kubectl", force: false)
        #expect(events.isEmpty)
        #expect(again.metadata.resourceVersion == first.metadata.resourceVersion)
        #expect(again.metadata.managedFields == first.metadata.managedFields)
    }

    @Test func updatesTakeFieldsFromOtherManagersAndWritesWithoutAnOwnerKeepThem() throws {
        var w = try Self.world()
        _ = try w.apply(Self.web, config: Self.deployment(), manager: "kubectl", force: false)
        let scaler = FieldOwner(manager: "kubectl", operation: .update, subresource: "scale")
        let (scaled, _) = try w.patch(Self.web, patch: ["spec": ["replicas": 4]], type: .merge, owner: scaler)
        let byScale = try #require(scaled.metadata.managedFields.first { $0.subresource == "scale" })
        #expect(byScale.fieldsV1 == ["f:spec": ["f:replicas": [:]]])
        let applied = try #require(scaled.metadata.managedFields.first { $0.operation == .apply })
        #expect(!applied.fields.contains(FieldPath("spec", "replicas")))
        // A write with no owner (the emulator's own) leaves the record alone.
        let (touched, _) = try w.patch(Self.web, patch: ["metadata": ["annotations": ["a": "b"]]], type: .merge)
        #expect(touched.metadata.managedFields == scaled.metadata.managedFields)
        // The scale entry's conflict names its subresource.
        do {
            _ = try w.apply(Self.web, config: Self.deployment(replicas: 9), manager: "kubectl", force: false)
            Issue.record("expected a conflict")
        } catch {
            #expect(error.message == "Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas")
        }
    }

    struct Injector: AdmissionControl {
        func admit(_ object: inout KubeObject, operation: AdmissionOperation, in world: World) throws(WorldError) {
            guard object.resource == .pods else { return }
            object.spec["containers"] = .array((object.spec["containers"]?.arrayValue ?? []) + [["name": "istio-proxy", "image": "proxyv2"]])
        }
    }

    @Test func whatMutatingAdmissionAddsBelongsToNoManager() throws {
        var w = try Self.world()
        let pod = KubeObject(
            resource: .pods, metadata: ObjectMeta(name: "p", namespace: "default"),
            body: ["spec": ["containers": [["name": "app", "image": "app"]]]])
        let (o, _) = try w.create(pod, admission: [Injector()], owner: FieldOwner(manager: "kubectl-run", operation: .update))
        #expect(o.spec["containers"]?.arrayValue?.count == 2)
        let fields = try #require(Self.entry(o, "kubectl-run")).fields
        let item = { (name: String) in FieldPath([.field("spec"), .field("containers"), .key([.init("name", .string(name))])]) }
        #expect(fields.contains(item("app")))
        #expect(!fields.coversOrContains(item("istio-proxy")))
    }

    @Test func schemaLessObjectsMergeMapsAndReplaceListsWhole() throws {
        let kind = ResourceType(group: "networking.istio.io", version: "v1beta1", plural: "virtualservices", singular: "virtualservice", kind: "VirtualService", namespaced: true)
        let merge = StructuredMerge(FieldSchema(kind))
        let live: JSONValue = ["spec": ["hosts": ["a", "b"], "gateways": ["g"], "http": [["route": [["destination": ["host": "a"]]]]]]]
        let config: JSONValue = ["spec": ["hosts": ["c"]]]
        #expect(merge.merge(live, config) == ["spec": ["hosts": ["c"], "gateways": ["g"], "http": [["route": [["destination": ["host": "a"]]]]]]])
        // Every object is a map, so `spec` is a member; lists are leaves.
        #expect(merge.fieldSet(config) == FieldSet([FieldPath("spec"), FieldPath("spec", "hosts")]))
        #expect(merge.fieldSet(config).fieldsV1 == ["f:spec": [".": [:], "f:hosts": [:]]])
    }

    @Test func fieldsV1ReadsBackWhatItWrites() throws {
        let set = FieldSet([
            FieldPath("spec", "replicas"), FieldPath("metadata", "labels"), FieldPath("metadata", "labels", "app"),
            FieldPath([.field("metadata"), .field("finalizers"), .value("x")]),
            FieldPath([.field("spec"), .field("ports"), .key([.init("port", 80), .init("protocol", "TCP")])]),
        ])
        #expect(try FieldSet(fieldsV1: set.fieldsV1) == set)
        #expect(throws: WorldError.self) { try FieldSet(fieldsV1: ["x:y": [:]]) }
    }
}
