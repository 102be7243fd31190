import Istio
import JSON
import Kubernetes
import KubeRuntime
import Testing

/// CRDs in the pure world: defaulting and status, validation, the catalog they drive, and the
/// cleanup of their objects.
struct CustomResourceDefinitionTests {
    static func gadgets(name: String = "gadgets.example.com", storage: [Bool] = [false, true]) -> KubeObject {
        KubeObject(
            resource: .customResourceDefinitions, metadata: ObjectMeta(name: name),
            body: [
                "spec": [
                    "group": "example.com", "scope": "Namespaced",
                    "names": ["plural": "gadgets", "kind": "Gadget", "categories": ["all"]],
                    "versions": .array(
                        zip(["v1beta1", "v1"], storage).map { name, stored in
                            [
                                "name": .string(name), "served": true, "storage": .bool(stored),
                                "schema": ["openAPIV3Schema": ["type": "object"]],
                            ]
                        }),
                ]
            ])
    }

    static func world() -> World {
        var world = World(now: WorldTests.now)
        _ = try? world.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "default")))
        return world
    }

    @Test func aCreatedCRDIsDefaultedAndEstablished() throws {
        var world = Self.world()
        let (crd, _) = try world.create(Self.gadgets())
        #expect(crd.spec[path: ["names", "singular"]] == "gadget")
        #expect(crd.spec[path: ["names", "listKind"]] == "GadgetList")
        #expect(crd.spec["conversion"] == ["strategy": "None"])
        let conditions = crd.status["conditions"]?.arrayValue ?? []
        #expect(conditions.map { $0["type"] } == ["NamesAccepted", "Established"])
        #expect(conditions.map { $0["reason"] } == ["NoConflicts", "InitialNamesAccepted"])
        #expect(conditions.allSatisfy { $0["status"] == "True" })
        #expect(crd.status["storedVersions"] == ["v1"])
        #expect(crd.status[path: ["acceptedNames", "kind"]] == "Gadget")
        #expect(crd.metadata.generation == 1)

        // A later storage version is added to storedVersions; the first stays.
        var changed = crd
        changed.spec["versions"] = .array((crd.spec["versions"]?.arrayValue ?? []).map { v in
            var v = v
            v["storage"] = .bool(v["name"] == "v1beta1")
            return v
        })
        let (updated, _) = try world.update(changed)
        #expect(updated.status["storedVersions"] == ["v1", "v1beta1"])
        #expect(updated.metadata.generation == 2)
    }

    @Test func aCRDBreakingTheAPIServersRulesIsRefused() {
        var world = Self.world()
        #expect(throws: WorldError.self) { try world.create(Self.gadgets(name: "gadget.example.com")) }
        do {
            _ = try world.create(Self.gadgets(storage: [true, true]))
            Issue.record("two storage versions were accepted")
        } catch {
            #expect(error.code == .invalid)
            #expect(error.message.contains("spec.versions: Invalid value: \"v1beta1, v1\": must have exactly one version marked as storage version"), "\(error)")
        }
        do {
            _ = try world.create(Self.gadgets(name: "wrong.example.com"))
            Issue.record("a name other than plural.group was accepted")
        } catch {
            #expect(error.message == "CustomResourceDefinition.apiextensions.k8s.io \"wrong.example.com\" is invalid: metadata.name: Invalid value: \"wrong.example.com\": must be spec.names.plural+\".\"+spec.group")
        }
    }

    @Test func theCatalogServesEveryServedVersionUntilTheCRDIsDeleted() throws {
        var world = Self.world()
        _ = try world.create(Self.gadgets())
        let catalog = ResourceCatalog().including(world.customResourceDefinitions)
        #expect(catalog.versions(ofGroup: "example.com") == ["v1", "v1beta1"])
        #expect(catalog.served("gadgets", group: "example.com", version: "v1beta1")?.apiVersion == "example.com/v1beta1")
        #expect(catalog.served("gadgets", group: "example.com", version: "v2") == nil)
        #expect(catalog.named("gadgets", group: "example.com")?.version == "v1", "stored at the storage version")
        #expect(catalog.categories(of: try #require(catalog.named("gadgets", group: "example.com"))) == ["all"])
        #expect(catalog.groupVersionPaths.suffix(2) == ["apis/example.com/v1", "apis/example.com/v1beta1"])

        let kind = try #require(catalog.named("gadgets", group: "example.com"))
        _ = try world.create(KubeObject(resource: kind, metadata: ObjectMeta(name: "g1", namespace: "default"), body: ["spec": ["a": 1]]))
        let (_, events) = try world.delete(ObjectKey(.customResourceDefinitions, name: "gadgets.example.com"))
        #expect(events.map { "\($0.type.rawValue) \($0.object.resource.plural)/\($0.object.name)" } == [
            "DELETED gadgets/g1", "DELETED customresourcedefinitions/gadgets.example.com",
        ])
        #expect(ResourceCatalog().including(world.customResourceDefinitions).named("gadgets", group: "example.com") == nil)
    }

    @Test func kubeAwareVersionOrder() {
        let sorted = ["v1alpha1", "v2", "foo", "v1beta1", "v1", "v1beta2", "v10", "v11alpha2"]
            .sorted { KubeVersion.isHigherPriority($0, than: $1) }
        // The example of `CompareKubeAwareVersionStrings` (apimachinery/pkg/version/helpers.go).
        #expect(sorted == ["v10", "v2", "v1", "v1beta2", "v1beta1", "v11alpha2", "v1alpha1", "foo"])
    }

    @Test func eachReleaseInstallsItsBaseChartsCRDs() {
        // Counted in the charts: crd-all.gen.yaml (+ crd-mixer.yaml, crd-operator.yaml) per tag.
        let counts = ["1.5.4": 25, "1.6.0": 25, "1.7.0": 21, "1.10.0": 13, "1.12.0": 14, "1.20.0": 15, "1.22.0": 14, "1.29.0": 14, "1.30.0": 15]
        for (tag, count) in counts {
            #expect(IstioCRD.baseChart(IstioVersion(tag)!).count == count, "\(tag)")
        }
        // A patch installs its minor's emulated release's set.
        #expect(IstioCRD.baseChart(IstioVersion(1, 7, 3)).map(\.name) == IstioCRD.baseChart(IstioVersion(1, 7, 0)).map(\.name))
        #expect(IstioCRD.baseChart(IstioVersion(1, 5, 0)).map(\.name) == IstioCRD.baseChart(.v1_5_4).map(\.name))
        let vs = IstioCRD.baseChart(.v1_6_0).first { $0.name == "virtualservices.networking.istio.io" }!.object()
        let crd = CustomResourceDefinition(vs)!
        #expect(crd.shortNames == ["vs"] && crd.categories == ["istio-io", "networking-istio-io"])
        #expect(crd.servedVersions == ["v1beta1", "v1alpha3"] && crd.storageVersion == "v1alpha3")
        #expect(crd.version("v1alpha3")?.columns.map(\.name) == ["Gateways", "Hosts", "Age"])
        let manifest = IstioManifest(IstioInstallSpec(version: .v1_6_0))
        #expect(manifest.definitions.count == 25)
        #expect(manifest.definitions.allSatisfy { $0.labels["operator.istio.io/component"] == "Base" })
    }
}
