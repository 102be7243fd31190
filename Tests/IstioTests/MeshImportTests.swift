import JSON
import Kubernetes
import Istio
import Testing

/// Building a world from a cluster dump: the istiod recogniser (image tag → release, labels →
/// revision, the supported range), what is left out and why, and the dumps refused whole.
struct MeshImportTests {
    static let now = Timestamp(seconds: 1_767_225_600)

    @Test(arguments: [
        ("docker.io/istio/pilot:1.20.3", "1.20.3"),
        ("docker.io/istio/pilot:1.5.4", "1.5.4"),
        ("gcr.io/istio-release/pilot:1.20.3-distroless", "1.20.3"),
        ("localhost:5000/istio/pilot:1.21.0-beta.1", "1.21.0"),
        ("docker.io/istio/pilot:1.22.1@sha256:0123abcd", "1.22.1"),
        ("istio/pilot:1.8", "1.8.0"),
    ])
    func releaseFromTheImageTag(image: String, release: String) {
        #expect(ImportedRevision.release(ofImage: image)?.description == release)
    }

    @Test(arguments: [
        "docker.io/istio/pilot", "docker.io/istio/pilot@sha256:0123abcd", "docker.io/istio/pilot:latest",
        "localhost:5000/istio/pilot", "docker.io/istio/pilot:1.20.3x", "docker.io/istio/pilot:.1.2", "",
    ])
    func noReleaseWithoutAReleaseTag(image: String) {
        #expect(ImportedRevision.release(ofImage: image) == nil)
    }

    @Test func revisionFromTheRevLabelElseTheName() {
        #expect(ImportedRevision.revision(labels: ["istio.io/rev": "canary"], deploymentName: "istiod-canary") == "canary")
        #expect(ImportedRevision.revision(labels: ["istio.io/rev": "default"], deploymentName: "istiod") == "default")
        #expect(ImportedRevision.revision(labels: ["istio.io/rev": "1-20-3"], deploymentName: "istiod-1-20-3") == "1-20-3")
        #expect(ImportedRevision.revision(labels: ["app": "istiod"], deploymentName: "istiod") == "default")
        // 1.5 labels a revision `version: REV` and names the Deployment after it.
        #expect(ImportedRevision.revision(labels: ["app": "istiod", "version": "canary"], deploymentName: "istiod-canary") == "canary")
    }

    static func istiod(_ name: String, image: String, labels: [String: String] = [:]) -> KubeObject {
        KubeObject(
            resource: .deployments,
            metadata: ObjectMeta(name: name, namespace: "istio-system", labels: ["app": "istiod"].merging(labels) { $1 }),
            body: ["spec": ["template": ["spec": ["containers": [["name": "discovery", "image": .string(image)]]]]]])
    }

    @Test func recognisedReleasesAndTheRangeTheEmulatorRenders() throws {
        let r = try ImportedRevision.recognise(Self.istiod("istiod-1-20-3", image: "gcr.io/istio-release/pilot:1.20.3", labels: ["istio.io/rev": "1-20-3"]))
        #expect(r.revision == "1-20-3" && r.version == IstioVersion(1, 20, 3) && r.hub == "gcr.io/istio-release")
        #expect(try ImportedRevision.recognise(Self.istiod("istiod", image: "docker.io/istio/pilot:1.5.0")).version == IstioVersion(1, 5, 0))
        #expect(try ImportedRevision.recognise(Self.istiod("istiod", image: "docker.io/istio/pilot:1.30.9")).version == IstioVersion(1, 30, 9))
        // Pinned by digest: the operator's label says the release.
        let pinned = Self.istiod("istiod", image: "docker.io/istio/pilot@sha256:0123", labels: ["operator.istio.io/version": "1.6.0"])
        #expect(try ImportedRevision.recognise(pinned).version == .v1_6_0)

        for (image, release) in [("docker.io/istio/pilot:1.4.6", "1.4.6"), ("docker.io/istio/pilot:1.31.0", "1.31.0")] {
            #expect {
                try ImportedRevision.recognise(Self.istiod("istiod", image: image))
            } throws: { error in
                (error as? MeshImportError)?.message
                    == "istiod Deployment istio-system/istiod runs Istio \(release) (image \"\(image)\"); the emulator renders Istio 1.5 to 1.30 only"
            }
        }
        #expect {
            try ImportedRevision.recognise(Self.istiod("istiod", image: "docker.io/istio/pilot:latest"))
        } throws: { error in
            (error as? MeshImportError)?.message
                == "istiod Deployment istio-system/istiod runs image \"docker.io/istio/pilot:latest\", whose tag names no Istio release (expected e.g. docker.io/istio/pilot:1.20.3)"
        }
    }

    /// What `kubectl get namespaces,deployments,…,validatingwebhookconfigurations -A -o yaml` lists
    /// of a world: its objects of those kinds as the API serves them, status and all.
    static func dump(_ world: World, extra: [JSONValue] = []) -> JSONValue {
        let kinds: [ResourceType] = [
            .namespaces, .deployments, .services, .configMaps, .mutatingWebhookConfigurations, .validatingWebhookConfigurations,
        ]
        return ["apiVersion": "v1", "kind": "List", "items": .array(kinds.flatMap { world.list($0).map(\.json) } + extra)]
    }

    static func item(_ apiVersion: String, _ kind: String, _ name: String, namespace: String? = nil, body: JSONObject = [:]) -> JSONValue {
        var metadata: JSONObject = ["name": .string(name)]
        if let namespace { metadata["namespace"] = .string(namespace) }
        var o = body
        o["apiVersion"] = .string(apiVersion)
        o["kind"] = .string(kind)
        o["metadata"] = .object(metadata)
        return .object(o)
    }

    @Test func theDefaultWorldImportsIntoTheSameMeshWithIstioReinstalled() throws {
        let source = World.defaultWorld(config: WorldConfig(seed: 42), now: Self.now, istio: .v1_5_4)
        // A revision tag as a chart renders it, with the operator's labels.
        var tag = IstioManifest.tagConfiguration(tag: "prod", revision: "default", version: .v1_5_4)
        tag.metadata.labels["operator.istio.io/component"] = "Pilot"
        func configMap(_ namespace: String, _ name: String, labels: [String: String] = [:], annotations: [String: String] = [:]) -> JSONValue {
            KubeObject(
                resource: .configMaps, metadata: ObjectMeta(name: name, namespace: namespace, labels: labels, annotations: annotations),
                body: ["data": ["k": "v"]]
            ).json
        }
        let extra: [JSONValue] = [
            tag.json,
            configMap("default", "app-settings"),
            configMap("istio-system", "istio-leftover", labels: ["operator.istio.io/component": "Pilot"]),
            configMap("default", "istio-ca-root-cert", labels: ["istio.io/config": "true"]),
            configMap("istio-system", "istio-leader", annotations: ["control-plane.alpha.kubernetes.io/leader": "{}"]),
            Self.item("apps/v1", "StatefulSet", "db", namespace: "default", body: ["spec": ["replicas": 1]]),
            Self.item("v1", "Service", "db", namespace: "default", body: ["spec": ["clusterIP": "None", "ports": [["port": 5432]]]]),
            Self.item(
                "v1", "Service", "legacy", namespace: "default",
                body: ["spec": ["clusterIP": "192.168.7.7", "clusterIPs": ["192.168.7.7"], "ports": [["port": 80]]]]),
            Self.item("apps/v1", "DaemonSet", "node-agent", namespace: "kube-system"),
            Self.item("v1", "Secret", "db-password", namespace: "default", body: ["data": ["password": "aHVudGVyMg=="]]),
            Self.item("v1", "Pod", "stray", namespace: "default"),
            Self.item("apps/v1", "ReplicaSet", "details-v1-abc", namespace: "default"),
            Self.item("networking.istio.io/v1beta1", "VirtualService", "reviews", namespace: "default"),
            Self.item(
                "admissionregistration.k8s.io/v1", "MutatingWebhookConfiguration", "cert-manager-webhook",
                body: ["webhooks": [["name": "webhook.cert-manager.io", "clientConfig": ["service": ["name": "cert-manager", "namespace": "cert-manager"]]]]]),
        ]
        let mesh = try MeshImport.load(list: Self.dump(source, extra: extra), file: "dump.yaml", config: WorldConfig(seed: 7), now: Self.now)
        let world = mesh.world

        #expect(mesh.revisions.map { "\($0.revision) \($0.version) \($0.hub)" } == ["default 1.5.4 docker.io/istio"])
        #expect(world.list(.namespaces).map { "\($0.name) \($0.labels.sorted { $0.key < $1.key })" } == source.list(.namespaces).map { "\($0.name) \($0.labels.sorted { $0.key < $1.key })" })
        #expect(world.list(.deployments).map(\.key) == source.list(.deployments).map(\.key))
        #expect(
            world.list(.services).map(\.key)
                == (source.list(.services).map(\.key) + ["db", "legacy"].map { ObjectKey(.services, namespace: "default", name: $0) }).sorted())
        #expect(world.list(.mutatingWebhookConfigurations).map(\.name) == ["istio-revision-tag-prod", "istio-sidecar-injector"])
        #expect(world.injectorWebhooks().filter { $0.tag == "prod" }.map(\.revision) == ["default"])
        // Istio's objects are the emulator's install of 1.5.4, not the dump's copies.
        let istiod = try #require(world.get(ObjectKey(.deployments, namespace: "istio-system", name: "istiod")))
        #expect(istiod.labels["operator.istio.io/version"] == "1.5.4")
        // The bookinfo accounts the dump did not list exist for its pods.
        #expect(world.list(.serviceAccounts, namespace: "default").map(\.name).filter { $0.hasPrefix("bookinfo-") }.count == 4)
        // Pods come from the controllers, injected by the installed release, running by `now`.
        let proxies = world.proxies(in: "default")
        #expect(proxies.count == 6 && proxies.allSatisfy { $0.istioVersion == "1.5.4" && $0.revision == "default" && $0.pod.isReady })
        #expect(world.list(.pods, namespace: "default").allSatisfy { $0.name != "stray" })
        // Service addresses are the emulator's own.
        // A Service's address is the emulator's own, from its range; a headless one stays headless.
        let range = world.config.serviceCIDR
        let legacy = try #require(world.get(ObjectKey(.services, namespace: "default", name: "legacy")))
        let address = try #require(legacy.spec["clusterIP"]?.stringValue.flatMap(IPv4Range.parse))
        #expect(address &- range.base < range.size, "\(legacy.spec)")
        #expect(legacy.spec["clusterIPs"] == [legacy.spec["clusterIP"]!])
        #expect(world.get(ObjectKey(.services, namespace: "default", name: "db"))?.spec["clusterIP"] == "None")
        #expect(world.list(.secrets).isEmpty)
        #expect(world.get(ObjectKey(.configMaps, namespace: "default", name: "app-settings"))?.body["data"] == ["k": "v"])

        let lines = mesh.skipped.map(\.description)
        let expected = [
            "StatefulSet default/db: the emulated cluster runs no StatefulSet controller, so nothing would create its pods",
            "DaemonSet kube-system/node-agent: the emulated cluster runs no DaemonSet controller, so nothing would create its pods",
            "Secret default/db-password: Secrets are never read: its data is left out",
            "Pod default/stray: pods are not imported: their controllers create them, injected by the installed Istio releases",
            "ReplicaSet default/details-v1-abc: ReplicaSets are not imported: their Deployment's controller creates them",
            "VirtualService default/reviews: VirtualService (networking.istio.io/v1beta1) is not a kind the import reads (Namespace, Deployment, Service, ConfigMap, MutatingWebhookConfiguration, ValidatingWebhookConfiguration)",
            "MutatingWebhookConfiguration cert-manager-webhook: not an Istio injection webhook: the emulated API server calls no other webhooks",
            "Deployment istio-system/istiod: re-created by the emulator's install of Istio 1.5.4 (revision default)",
            "ConfigMap istio-system/istio-leftover: Istio's own (component Pilot), which the emulator's install of 1.5.4 (default) does not render",
            "ConfigMap default/istio-ca-root-cert: istiod writes its root certificate into every namespace at run time; the emulated istiod issues none",
            "ConfigMap istio-system/istio-leader: a leader-election record a running controller writes",
            "MutatingWebhookConfiguration istio-sidecar-injector: re-created by the emulator's install of Istio 1.5.4 (revision default)",
        ]
        for line in expected { #expect(lines.contains(line), "\(lines)") }
        #expect(lines.contains { $0.hasPrefix("Service default/kubernetes: the emulated cluster makes its own") }, "\(lines)")
        // Nothing else is left out: the rest are Istio's objects, installed again.
        let others = lines.filter {
            !expected.contains($0) && !$0.hasPrefix("Service default/kubernetes: ")
                && !$0.hasSuffix(": re-created by the emulator's install of Istio 1.5.4 (revision default)")
        }
        #expect(others.isEmpty, "\(others)")
    }

    @Test func aCanaryAndItsUpgradedGatewayAreInstalledOnceEach() throws {
        // The seed after its install: 1.5.4 default, 1.6.0 canary that took the gateway over.
        var source = World.defaultWorld(config: WorldConfig(seed: 42), now: Self.now, istio: .v1_5_4)
        var canary = IstioInstallSpec(version: .v1_6_0, revision: "canary")
        canary.prometheusAddon = false
        try source.installIstio(canary, admission: [SidecarInjector(), IstioConfigValidation()])
        let mesh = try MeshImport.load(list: Self.dump(source), file: "dump.yaml", config: WorldConfig(seed: 7), now: Self.now)
        #expect(mesh.revisions.map { "\($0.revision) \($0.version)" } == ["default 1.5.4", "canary 1.6.0"])
        let world = mesh.world
        #expect(world.istioRevisions().map { "\($0.name) \($0.version) \($0.readyPods.count)" } == ["default 1.5.4 1", "canary 1.6.0 1"])
        let gateway = try #require(world.get(ObjectKey(.deployments, namespace: "istio-system", name: "istio-ingressgateway")))
        #expect(gateway.labels["operator.istio.io/version"] == "1.6.0")
        #expect(world.list(.mutatingWebhookConfigurations).map(\.name) == ["istio-sidecar-injector", "istio-sidecar-injector-canary"])
        let validator = try #require(world.list(.validatingWebhookConfigurations).first)
        #expect(validator.body["webhooks"]?.arrayValue?.first?["failurePolicy"] == "Fail")
        #expect(world.proxies().filter { $0.kind == .router }.map(\.istioVersion) == ["1.6.0"])
        #expect(mesh.skipped.allSatisfy { !$0.reason.hasPrefix("Istio's") }, "\(mesh.skipped)")
    }

    @Test func aGatewayNoRecognisedReleaseRendersIsListed() throws {
        let source = World.defaultWorld(config: WorldConfig(seed: 42), now: Self.now, istio: .v1_5_4)
        var items = Self.dump(source)["items"]?.arrayValue ?? []
        // The dump's gateway runs 1.7.2, which no istiod of the dump runs.
        items = items.map { item in
            guard item["kind"] == "Deployment", item[path: ["metadata", "name"]] == "istio-ingressgateway" else { return item }
            var changed = item
            changed["metadata"]?["labels"]?["operator.istio.io/version"] = "1.7.2"
            return changed
        }
        let mesh = try MeshImport.load(
            list: ["apiVersion": "v1", "kind": "List", "items": .array(items)], file: "dump.yaml", now: Self.now)
        #expect(mesh.world.get(ObjectKey(.deployments, namespace: "istio-system", name: "istio-ingressgateway")) == nil)
        #expect(
            mesh.skipped.map(\.description).contains(
                "Deployment istio-system/istio-ingressgateway: Istio's ingress gateways at Istio 1.7.2, which no recognised istiod runs (found: 1.5.4 (default))"),
            "\(mesh.skipped)")
    }

    @Test func aRevisionOnlyInstallOfANewerReleaseKeepsItsReleaseRevisionAndHub() throws {
        let admission: [any AdmissionControl] = [SidecarInjector(), IstioConfigValidation()]
        var source = World(config: WorldConfig(seed: 42), now: Timestamp(milliseconds: Self.now.milliseconds - 3_600_000))
        for (name, labels) in [("default", [:]), ("istio-system", [:]), ("shop", ["istio.io/rev": "1-20-3"])] {
            _ = try source.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: name, labels: labels)), admission: admission)
        }
        try source.installIstio(
            IstioInstallSpec(version: IstioVersion(1, 20, 3), revision: "1-20-3", hub: "gcr.io/istio-release"), admission: admission)
        var web = World.bookinfoDeployment(app: "web", version: "v1")
        web.metadata.namespace = "shop"
        _ = try source.create(web, admission: admission)
        _ = source.advance(to: Self.now, admission: admission)

        let mesh = try MeshImport.load(list: Self.dump(source), file: "dump.yaml", now: Self.now)
        #expect(mesh.revisions.map { "\($0.revision) \($0.version) \($0.hub)" } == ["1-20-3 1.20.3 gcr.io/istio-release"])
        let istiod = try #require(mesh.world.get(ObjectKey(.deployments, namespace: "istio-system", name: "istiod-1-20-3")))
        #expect(istiod.spec[path: ["template", "spec", "containers"]]?.arrayValue?.first?["image"] == "gcr.io/istio-release/pilot:1.20.3")
        let proxies = mesh.world.proxies(in: "shop")
        #expect(proxies.count == 1 && proxies.allSatisfy { $0.istioVersion == "1.20.3" && $0.revision == "1-20-3" && $0.pod.isReady }, "\(proxies)")
    }

    @Test func aDefaultInjectorDeactivatedByTagSetDefaultStaysDeactivated() throws {
        // A 1.12 default install makes itself the default tag and deactivates the old injector
        // (operator/cmd/mesh/install.go@1.12.0), as `tag set default` does.
        let source = World.defaultWorld(config: WorldConfig(seed: 42), now: Self.now, istio: IstioVersion(1, 12, 0))
        let injector = try #require(source.get(ObjectKey(.mutatingWebhookConfigurations, name: "istio-sidecar-injector")))
        #expect((injector.body["webhooks"]?.arrayValue ?? []).allSatisfy { $0["namespaceSelector"] == IstioManifest.neverMatch })
        #expect(source.get(ObjectKey(.mutatingWebhookConfigurations, name: "istio-revision-tag-default")) != nil)
        let world = try MeshImport.load(list: Self.dump(source), file: "dump.yaml", now: Self.now).world
        let imported = try #require(world.get(ObjectKey(.mutatingWebhookConfigurations, name: "istio-sidecar-injector")))
        #expect(imported.labels["operator.istio.io/version"] == "1.12.0")
        let selectors = (imported.body["webhooks"]?.arrayValue ?? []).map { $0["namespaceSelector"] }
        #expect(!selectors.isEmpty && selectors.allSatisfy { $0 == IstioManifest.neverMatch }, "\(selectors)")
        // Injection now goes through the tag, as on the cluster.
        #expect(world.injectionDecision(namespace: "default", podLabels: ["app": "x"]).injectedBy?.configuration == "istio-revision-tag-default")
    }

    static let expected = "dump.yaml: expected the kind: List that `kubectl get … -A -o yaml` writes"

    /// Each dump is refused whole, with this line.
    static let refused: [(JSONValue, String)] = {
        let deployment: JSONValue = ["apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": "web"]]
        let v2: JSONValue = ["apiVersion": "v2", "kind": "List", "items": []]
        let itemsNotAList: JSONValue = ["apiVersion": "v1", "kind": "List", "items": "none"]
        let noAPIVersion: JSONValue = ["kind": "Namespace", "metadata": ["name": "a"]]
        let oldDeployment: JSONValue = [
            "apiVersion": "extensions/v1beta1", "kind": "Deployment", "metadata": ["name": "web", "namespace": "shop"],
        ]
        let oldWebhooks: JSONValue = [
            "apiVersion": "admissionregistration.k8s.io/v1beta1", "kind": "MutatingWebhookConfiguration",
            "metadata": ["name": "istio-sidecar-injector"],
        ]
        func list(_ item: JSONValue) -> JSONValue { ["apiVersion": "v1", "kind": "List", "items": [item]] }
        return [
            (.array([]), "\(expected), not a single value or a sequence at the top level"),
            (deployment, "\(expected), not kind: Deployment"),
            (v2, "\(expected) with apiVersion: v1, not apiVersion: v2"),
            (itemsNotAList, "\(expected): its items must be a sequence of objects"),
            (list(noAPIVersion), "dump.yaml: item 1 of the List is not a Kubernetes object: expected apiVersion, kind and metadata.name"),
            (list(oldDeployment), "dump.yaml: Deployment shop/web has apiVersion extensions/v1beta1; expected apps/v1, as kubectl writes it"),
            (
                list(oldWebhooks),
                "dump.yaml: MutatingWebhookConfiguration istio-sidecar-injector has apiVersion admissionregistration.k8s.io/v1beta1; expected admissionregistration.k8s.io/v1, as kubectl writes it"
            ),
        ]
    }()

    @Test func dumpsRefusedWhole() {
        for (list, message) in Self.refused {
            #expect {
                try MeshImport.load(list: list, file: "dump.yaml", now: Self.now)
            } throws: { error in
                (error as? MeshImportError)?.message == message
            }
        }
    }

    @Test func twoIstiodsOfOneRevisionAreRefused() {
        let list: JSONValue = [
            "apiVersion": "v1", "kind": "List",
            "items": [
                Self.istiod("istiod", image: "docker.io/istio/pilot:1.6.0").json,
                Self.istiod("istiod-old", image: "docker.io/istio/pilot:1.6.0", labels: ["istio.io/rev": "default"]).json,
            ],
        ]
        #expect {
            try MeshImport.load(list: list, file: "dump.yaml", now: Self.now)
        } throws: { error in
            (error as? MeshImportError)?.message
                == "dump.yaml: istiod Deployments istiod and istiod-old both serve revision default; expected one istiod per revision"
        }
    }
}
