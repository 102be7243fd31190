@testable import Istioctl
import Istio
import JSON
import Kubernetes
import Testing

/// The analyzers `istioctl analyze` runs for upgrades, on objects built as the cluster holds them:
/// each rule reports its condition and stops once the condition is gone.
struct InjectionAnalyzersTests {
    static let v1_6 = IstioVersion(1, 6, 0), v1_10 = IstioVersion(1, 10, 0), v1_20 = IstioVersion(1, 20, 0)

    func namespace(_ name: String, _ labels: [String: String] = [:]) -> KubeObject {
        KubeObject(resource: .namespaces, metadata: ObjectMeta(name: name, labels: labels))
    }

    func pod(_ name: String, in ns: String, proxy image: String?) -> KubeObject {
        var containers: [JSONValue] = [["name": "app", "image": "curlimages/curl"]]
        if let image { containers.append(["name": "istio-proxy", "image": .string(image)]) }
        return KubeObject(resource: .pods, metadata: ObjectMeta(name: name, namespace: ns), body: ["spec": ["containers": .array(containers)]])
    }

    func analyzers(_ version: IstioVersion, namespaces: [KubeObject], pods: [KubeObject] = [], install: IstioVersion? = nil,
                   extraHooks: [KubeObject] = []) -> InjectionAnalyzers {
        let objects = install.map { IstioManifest(IstioInstallSpec(version: $0)).allObjects } ?? []
        return InjectionAnalyzers(
            version: version, namespaces: namespaces, pods: pods, configMaps: objects.filter { $0.resource == .configMaps },
            webhookConfigurations: objects.filter { $0.resource == .mutatingWebhookConfigurations } + extraHooks)
    }

    @Test func namespaceNotInjectedUntilLabelled() {
        let plain = analyzers(Self.v1_20, namespaces: [namespace("shop"), namespace("kube-system"), namespace("istio-system")])
        #expect(plain.messages.map { $0.rendered(Self.v1_20) } == [
            "Info [IST0102] (Namespace shop) The namespace is not enabled for Istio injection. Run 'kubectl label namespace shop istio-injection=enabled' to enable it, or 'kubectl label namespace shop istio-injection=disabled' to explicitly mark it as not needing injection.",
        ])
        for labels in [["istio-injection": "enabled"], ["istio-injection": "disabled"], ["istio.io/rev": "canary"]] {
            #expect(analyzers(Self.v1_20, namespaces: [namespace("shop", labels)]).messages.isEmpty, "\(labels)")
        }
        // 1.6: a warning, without the closing full stop.
        let old = analyzers(Self.v1_6, namespaces: [namespace("shop")]).messages
        #expect(old.map(\.level) == [.warning] && old.first?.text.hasSuffix("needing injection") == true)
    }

    @Test func podMissingProxyOnlyInInjectedNamespaces() {
        let pods = [pod("a", in: "shop", proxy: nil), pod("b", in: "shop", proxy: "docker.io/istio/proxyv2:1.20.0"), pod("c", in: "other", proxy: nil)]
        let found = analyzers(Self.v1_20, namespaces: [namespace("shop", ["istio-injection": "enabled"]), namespace("other", ["istio-injection": "disabled"])], pods: pods)
        #expect(found.messages.map { $0.rendered(Self.v1_20) } == [
            "Warning [IST0103] (Pod shop/a) The pod shop/a is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.",
        ])
        let old = analyzers(Self.v1_6, namespaces: [namespace("shop", ["istio-injection": "enabled"])], pods: pods)
        #expect(old.namespaceAndPodMessages.map { $0.rendered(Self.v1_6) } == [
            "Warning [IST0103] (Pod a.shop) The pod is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.",
        ])
    }

    @Test func proxyImageMismatchAgainstTheDefaultInjectorUntil118() {
        let ns = [namespace("shop", ["istio-injection": "enabled"])]
        let pods = [pod("old", in: "shop", proxy: "docker.io/istio/proxyv2:1.5.4"), pod("new", in: "shop", proxy: "docker.io/istio/proxyv2:1.6.0")]
        let found = analyzers(Self.v1_6, namespaces: ns, pods: pods, install: Self.v1_6).messages.filter { $0.code == "IST0105" }
        #expect(found.map(\.name) == ["old"])
        #expect(found.first?.text.contains("(pod image: docker.io/istio/proxyv2:1.5.4; injection configuration image: docker.io/istio/proxyv2:1.6.0)") == true)
        #expect(analyzers(IstioVersion(1, 18, 0), namespaces: ns, pods: pods, install: Self.v1_6).messages.allSatisfy { $0.code != "IST0105" })
    }

    @Test func overlappingInjectorsAreInvalidWebhooks() throws {
        let ns = [namespace("shop", ["istio-injection": "enabled"])]
        let alone = analyzers(Self.v1_10, namespaces: ns, install: Self.v1_10)
        #expect(alone.webhookOverlaps.isEmpty)
        // A default tag beside the still-active default injector: both inject `istio-injection=enabled` pods.
        let tag = IstioManifest.tagConfiguration(tag: "default", revision: "default", version: Self.v1_10)
        let both = analyzers(Self.v1_10, namespaces: ns, install: Self.v1_10, extraHooks: [tag])
        let names = Set(both.webhookOverlaps.map(\.name))
        #expect(names == ["istio-sidecar-injector", "istio-revision-tag-default"], "\(both.webhookOverlaps)")
        #expect(both.webhookOverlaps.first?.rendered(Self.v1_10).hasPrefix("Error [IST0139] (MutatingWebhookConfiguration ") == true)
        #expect(both.webhookOverlaps.allSatisfy { $0.text.hasPrefix("Webhook overlaps with others: [") && $0.text.hasSuffix("]. This may cause injection to occur twice.") })
        // Deactivating the old injector (what 1.12+ `tag set default` does) ends the overlap.
        let injector = try #require(both.webhookConfigurations.first { $0.name == "istio-sidecar-injector" })
        var fixed = both
        fixed.webhookConfigurations = [IstioManifest.deactivated(injector), tag]
        #expect(fixed.webhookOverlaps.isEmpty)
        // Releases before the webhook analyzer report nothing.
        #expect(analyzers(Self.v1_6, namespaces: ns, install: Self.v1_10, extraHooks: [tag]).messages.allSatisfy { $0.code != "IST0139" })
    }

    @Test func suppressionsMatchWildcards() {
        #expect(AnalyzeCommand.wildcard("Pod *.default", matches: "Pod a.default"))
        #expect(!AnalyzeCommand.wildcard("Pod *.default", matches: "Pod a.shop"))
        #expect(AnalyzeCommand.wildcard("Namespace shop", matches: "Namespace shop"))
    }
}
