import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

/// What install renders, what `tag set` plans and how the injector decides, release by release,
/// each expectation written from the istio/istio source it names (`docs/istio-releases.md`).
struct ReleaseRulesTests {
    static func objects(_ version: String, revision: String = "") throws -> [KubeObject] {
        IstioManifest(IstioInstallSpec(version: try #require(IstioVersion(version)), revision: revision)).allObjects
    }

    static func validators(_ objects: [KubeObject]) -> [String] {
        objects.filter { $0.resource == .validatingWebhookConfigurations }.map(\.name)
    }

    static func hooks(_ object: KubeObject) -> [(name: String, service: String)] {
        (object.body["webhooks"]?.arrayValue ?? []).map {
            ($0["name"]?.stringValue ?? "", $0[path: ["clientConfig", "service", "name"]]?.stringValue ?? "")
        }
    }

    // MARK: Validators (base/templates/validatingwebhookconfiguration.yaml@1.10.0,
    // istio-discovery/templates/validatingwebhookconfiguration.yaml@1.11.0, @1.12.0, @1.20.0)

    @Test func throughTenBaseRendersTheValidatorOfServiceIstiod() throws {
        for version in ["1.5.4", "1.6.0", "1.10.6"] {
            let objects = try Self.objects(version, revision: version == "1.5.4" ? "" : "canary")
            #expect(Self.validators(objects) == ["istiod-istio-system"], "\(version)")
            let validator = try #require(objects.first { $0.resource == .validatingWebhookConfigurations })
            #expect(Self.hooks(validator).map(\.service) == ["istiod"])
            #expect(validator.labels["operator.istio.io/component"] == "Base")
        }
    }

    @Test func elevenRendersAPerRevisionValidatorWithTheDefaultHookToo() throws {
        let objects = try Self.objects("1.11.0", revision: "1-11-0")
        #expect(Self.validators(objects) == ["istio-validator-1-11-0-istio-system"])
        let validator = try #require(objects.first { $0.resource == .validatingWebhookConfigurations })
        #expect(Self.hooks(validator).map(\.name) == ["rev.validation.istio.io", "validation.istio.io"])
        #expect(Self.hooks(validator).map(\.service) == ["istiod-1-11-0", "istiod-1-11-0"])
        #expect(validator.labels["istio.io/rev"] == "1-11-0")
        #expect(validator.labels["operator.istio.io/component"] == "Pilot")
    }

    @Test func fromTwelveTheRevisionValidatorTakesOnlyItsOwnConfig() throws {
        for (version, revision, name, service) in [
            ("1.12.0", "", "istio-validator-istio-system", "istiod"), ("1.20.0", "1-20-0", "istio-validator-1-20-0-istio-system", "istiod-1-20-0"),
            ("1.30.0", "1-30-0", "istio-validator-1-30-0-istio-system", "istiod-1-30-0"),
        ] {
            let objects = try Self.objects(version, revision: revision)
            #expect(Self.validators(objects) == [name], "\(version)")
            let validator = try #require(objects.first { $0.resource == .validatingWebhookConfigurations })
            #expect(Self.hooks(validator).map(\.name) == ["rev.validation.istio.io"])
            #expect(Self.hooks(validator).map(\.service) == [service])
            #expect(
                validator.body["webhooks"]?.arrayValue?.first?["objectSelector"]
                    == ["matchExpressions": [["key": "istio.io/rev", "operator": "In", "values": [.string(revision.isEmpty ? "default" : revision)]]]])
        }
    }

    // MARK: Gateway status port (operator/data/profiles/default.yaml@1.5.4, manifests/profiles/default.yaml@1.6.0)

    @Test func gatewayStatusPortIs15020In15And15021After() throws {
        for (version, port) in [("1.5.4", 15020), ("1.6.0", 15021), ("1.20.0", 15021), ("1.30.0", 15021)] {
            let service = try #require(try Self.objects(version).first { $0.resource == .services && $0.name == "istio-ingressgateway" })
            #expect(service.spec["ports"]?.arrayValue?.first?["port"]?.intValue == Int64(port), "\(version)")
            #expect(service.spec["ports"]?.arrayValue?.first?["name"] == "status-port")
        }
    }

    // MARK: The 1.10 `istiod` Service (operator/cmd/mesh/install.go@1.10.0 createIstiodService)

    @Test func tenTheIstiodServiceSelectsEveryIstiodAndCarriesNoRevision() throws {
        let service = IstioManifest.istiodServiceForRevisions(IstioInstallSpec(version: IstioVersion(1, 10, 0), revision: "1-10-0"))
        #expect(service.name == "istiod")
        #expect(service.labels["istio.io/rev"] == nil)
        #expect(service.spec["selector"] == ["app": "istiod"])
        #expect(service.spec["ports"]?.arrayValue?.compactMap { $0["port"]?.intValue } == [15010, 15012, 443, 15014])
    }

    // MARK: The default tag (istioctl/cmd/tag.go@1.10.0, istioctl/pkg/tag/generate.go@1.12.0, @1.20.0)

    static func installed(_ version: String, revision: String = "") throws -> (mutating: [KubeObject], validating: [KubeObject]) {
        let objects = try Self.objects(version, revision: revision)
        return (objects.filter { $0.resource == .mutatingWebhookConfigurations }, objects.filter { $0.resource == .validatingWebhookConfigurations })
    }

    @Test func aTwentyDefaultInstallsTagDeactivatesTheInjectorAndAddsTheDefaultValidator() throws {
        let (mutating, validating) = try Self.installed("1.20.0")
        let plan = try RevisionTag.plan(
            tag: "default", revision: "default", overwrite: true, istioctl: IstioVersion(1, 20, 0), mutating: mutating, validating: validating
        ).get()
        #expect(plan.apply.map(\.name) == ["istio-revision-tag-default", "istiod-default-validator"])
        #expect(plan.update.map(\.name) == ["istio-sidecar-injector"])
        #expect(plan.update.first?.body["webhooks"]?.arrayValue?.allSatisfy { $0["namespaceSelector"] == IstioManifest.neverMatch } == true)
        #expect(plan.delete.isEmpty)
        let validator = plan.apply[1]
        #expect(Self.hooks(validator).map(\.service) == ["istiod"])
        #expect(validator.labels["istio.io/tag"] == "default")
        #expect(plan.apply[0].labels["operator.istio.io/version"] == "1.20.0")
    }

    @Test func twelveRemovesTheBaseValidatorOfAnOlderInstall() throws {
        let old = try Self.installed("1.10.0")
        let canary = try Self.installed("1.12.0", revision: "1-12-0")
        let plan = try RevisionTag.plan(
            tag: "default", revision: "1-12-0", overwrite: false, istioctl: IstioVersion(1, 12, 0),
            mutating: old.mutating + canary.mutating, validating: old.validating + canary.validating
        ).get()
        #expect(plan.delete.map(\.name) == ["istiod-istio-system"])
        #expect(Self.hooks(plan.apply[1]).map(\.service) == ["istiod-1-12-0"])
        // 1.22 no longer removes it.
        let later = try RevisionTag.plan(
            tag: "default", revision: "1-12-0", overwrite: false, istioctl: IstioVersion(1, 22, 0),
            mutating: old.mutating + canary.mutating, validating: old.validating + canary.validating
        ).get()
        #expect(later.delete.isEmpty)
    }

    @Test func elevenNeedsOverwriteWhereTwelveDoesNot() throws {
        let old = try Self.installed("1.10.0")
        let canary = try Self.installed("1.11.0", revision: "1-11-0")
        let refused = RevisionTag.plan(
            tag: "default", revision: "1-11-0", overwrite: false, istioctl: IstioVersion(1, 11, 0), mutating: old.mutating + canary.mutating,
            validating: [])
        #expect(refused == .failure(RevisionTag.Refusal(message: "cannot create revision tag \"default\": found existing control plane revision with same name")))
        let overwritten = try RevisionTag.plan(
            tag: "default", revision: "1-11-0", overwrite: true, istioctl: IstioVersion(1, 11, 0), mutating: old.mutating + canary.mutating,
            validating: []
        ).get()
        // 1.11 neither deactivates the old injector nor writes a validator.
        #expect(overwritten.apply.map(\.name) == ["istio-revision-tag-default"])
        #expect(overwritten.update.isEmpty)
        let twelve = RevisionTag.plan(
            tag: "default", revision: "1-11-0", overwrite: false, istioctl: IstioVersion(1, 12, 0), mutating: old.mutating + canary.mutating,
            validating: [])
        #expect((try? twelve.get()) != nil)
    }

    @Test func anExistingTagNeedsOverwriteAndAMissingRevisionIsNamed() throws {
        let (mutating, validating) = try Self.installed("1.29.0")
        let first = try RevisionTag.plan(
            tag: "default", revision: "default", overwrite: true, istioctl: IstioVersion(1, 29, 0), mutating: mutating, validating: validating
        ).get()
        let withTag = mutating + first.apply.filter { $0.resource == .mutatingWebhookConfigurations }
        #expect(
            RevisionTag.plan(tag: "default", revision: "default", overwrite: false, istioctl: IstioVersion(1, 30, 0), mutating: withTag, validating: [])
                == .failure(RevisionTag.Refusal(message: "revision tag \"default\" already exists, and --overwrite is false")))
        #expect(
            RevisionTag.plan(tag: "prod", revision: "nope", overwrite: false, istioctl: IstioVersion(1, 27, 0), mutating: withTag, validating: [])
                == .failure(RevisionTag.Refusal(message: "cannot modify tag: cannot find MutatingWebhookConfiguration with revision \"nope\"")))
        #expect(
            RevisionTag.plan(tag: "prod", revision: "nope", overwrite: false, istioctl: IstioVersion(1, 28, 0), mutating: withTag, validating: [])
                == .failure(RevisionTag.Refusal(message: "cannot modify tag: cannot find MutatingWebhookConfiguration or Service with revision \"nope\"")))
    }

    @Test func whichInstallBecomesTheDefaultAndWhatItSays() throws {
        let injector = try #require(try Self.installed("1.20.0").mutating.first)
        let canary = IstioInstallSpec(version: IstioVersion(1, 20, 0), revision: "1-20-0")
        #expect(RevisionTag.installBecomesDefault(canary, injectorsBefore: []))
        #expect(!RevisionTag.installBecomesDefault(canary, injectorsBefore: [injector]))
        #expect(RevisionTag.installBecomesDefault(IstioInstallSpec(version: IstioVersion(1, 20, 0)), injectorsBefore: [injector]))
        #expect(!RevisionTag.installBecomesDefault(IstioInstallSpec(version: IstioVersion(1, 11, 8)), injectorsBefore: []))
        let said = ["1.11.8", "1.12.0", "1.18.7", "1.19.0", "1.22.8", "1.23.0", "1.24.0", "1.30.0"].map {
            RevisionTag.installMessage(IstioVersion($0)!)
        }
        let making = "Making this installation the default for injection and validation."
        let made = "Made this installation the default for injection and validation."
        #expect(said == [nil, making, making, made, made, "Made this installation the default for cluster-wide operations.", nil, nil])
    }

    @Test func aTwentyNineWorldStartsWithItsDefaultTagInjectingBookinfo() {
        let world = World.defaultWorld(config: WorldConfig(seed: 42), now: IstioInstallTests.now, istio: IstioVersion(1, 29, 0))
        #expect(world.list(.mutatingWebhookConfigurations).map(\.name).sorted() == ["istio-revision-tag-default", "istio-sidecar-injector"])
        #expect(world.list(.validatingWebhookConfigurations).map(\.name).sorted() == ["istio-validator-istio-system", "istiod-default-validator"])
        let proxies = world.proxies()
        #expect(proxies.count == 7 && proxies.allSatisfy { $0.istioVersion == "1.29.0" && $0.revision == "default" })
        #expect(world.injectionDecision(namespace: "default", podLabels: ["app": "x"]).injectedBy?.configuration == "istio-revision-tag-default")
    }

    // MARK: Injection (pkg/kube/inject/inject.go@1.10.0, @1.12.0, @1.20.0, @1.27.0; initializer.go@1.9.0)

    static func injects(_ version: String, namespace: String = "shop", labels: [String: String] = [:], annotations: [String: String] = [:]) -> Bool {
        InjectionDecision.injectRequired(
            version: IstioVersion(version)!, namespace: namespace, podLabels: labels, podAnnotations: annotations, hostNetwork: false
        ).0
    }

    @Test func noDisablesThroughTwentySixAndFallsBackFromTwentySeven() {
        for version in ["1.5.4", "1.10.0", "1.20.0", "1.26.8"] {
            #expect(!Self.injects(version, annotations: ["sidecar.istio.io/inject": "no"]), "\(version)")
            #expect(Self.injects(version, annotations: ["sidecar.istio.io/inject": "yes"]), "\(version)")
            #expect(Self.injects(version, annotations: ["sidecar.istio.io/inject": ""]), "\(version)")
        }
        #expect(Self.injects("1.27.0", annotations: ["sidecar.istio.io/inject": "no"]))
        #expect(!Self.injects("1.27.0", annotations: ["sidecar.istio.io/inject": "false"]))
    }

    @Test func theLabelWinsOverTheAnnotationFromTwelve() {
        let labels = ["sidecar.istio.io/inject": "true"]
        let annotations = ["sidecar.istio.io/inject": "false"]
        #expect(!Self.injects("1.11.8", labels: labels, annotations: annotations))
        #expect(Self.injects("1.12.0", labels: labels, annotations: annotations))
    }

    @Test func nodeLeaseAndLocalPathStorageAreIgnoredFromNine() {
        for namespace in ["kube-node-lease", "local-path-storage"] {
            #expect(Self.injects("1.8.6", namespace: namespace))
            #expect(!Self.injects("1.9.0", namespace: namespace))
        }
        #expect(!Self.injects("1.5.4", namespace: "kube-system"))
    }

    // MARK: Which releases exist (the istio/istio tags 1.5.0 … 1.30.3)

    @Test func releasesOutsideFiveToThirtyAreRefusedInOneLine() throws {
        for text in ["1.99.0", "1.4.0", "2.0.0", "1.31.0"] {
            guard case .failure(let refusal) = IstioRelease.parse(text) else {
                Issue.record("\(text) accepted")
                continue
            }
            #expect(refusal.message == "unsupported Istio release \(IstioVersion(text)!): xdsemu emulates Istio 1.5 to 1.30 (1.5.0 … 1.30.3)")
        }
        guard case .failure(let bad) = IstioRelease.parse("one.six") else { Issue.record("accepted"); return }
        #expect(!bad.message.contains("\n") && bad.message.contains("1.5 to 1.30"))
        #expect(try IstioRelease.parse("1.30.3").get() == IstioVersion(1, 30, 3))
        #expect(try IstioRelease.parse("v1.5.4").get() == .v1_5_4)
        #expect(IstioRelease.minors.count == 26)
        #expect(IstioRelease.minors.first?.emulates == .v1_5_4)
        #expect(IstioRelease.minors.first { $0.minor == 8 }?.lastPatch == IstioVersion(1, 8, 6))
    }
}
