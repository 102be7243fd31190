@testable import Istio
import JSON
import Kubernetes
import Testing

/// The JSON the injector writes into a pod, byte for byte as Istio's `json.Marshal` does, and
/// read back by `ProxyView`.
struct SidecarTemplateTests {
    static func injected(version: IstioVersion, revision: String = "canary", service: String = "istiod-canary") -> KubeObject {
        var pod = KubeObject(
            resource: .pods, metadata: ObjectMeta(name: "web-1", namespace: "shop", labels: ["app": "web"]),
            body: ["spec": ["containers": [["name": "web", "image": "web:1", "ports": [
                ["name": "http", "containerPort": 8080, "protocol": "TCP"], ["containerPort": 9090],
            ]]]]])
        let injector = InjectorWebhook(
            configuration: "istio-sidecar-injector-\(revision)", name: "sidecar-injector.istio.io",
            namespaceSelector: LabelSelector(), objectSelector: LabelSelector(), service: service,
            serviceNamespace: "istio-system", revision: revision, tag: nil, version: version, timeoutSeconds: 10)
        SidecarTemplate.inject(into: &pod, by: injector)
        return pod
    }

    static func env(_ pod: KubeObject, _ name: String) -> String? {
        let proxy = pod.spec["containers"]?.arrayValue?.first { $0["name"] == "istio-proxy" }
        return proxy?["env"]?.arrayValue?.first { $0["name"] == .string(name) }?["value"]?.stringValue
    }

    @Test func statusAnnotationPodPortsAndProxyConfigAreGoJSON() throws {
        let modern = Self.injected(version: IstioVersion(1, 12, 0))
        #expect(
            modern.metadata.annotations["sidecar.istio.io/status"]
                == #"{"version":"","initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["istio-envoy","istio-podinfo","istiod-ca-cert"],"imagePullSecrets":null,"revision":"canary"}"#)
        #expect(
            Self.injected(version: .v1_6_0).metadata.annotations["sidecar.istio.io/status"]
                == #"{"version":"","initContainers":["istio-init"],"containers":["istio-proxy"],"volumes":["istio-envoy","istio-podinfo","istiod-ca-cert"],"imagePullSecrets":null}"#)
        #expect(
            Self.env(modern, "ISTIO_META_POD_PORTS")
                == #"[{"name":"http","containerPort":8080,"protocol":"TCP"},{"containerPort":9090,"protocol":"TCP"}]"#)
        #expect(
            Self.env(modern, "PROXY_CONFIG")
                == #"{"discoveryAddress":"istiod-canary.istio-system.svc:15012","proxyMetadata":{}}"#)
        let view = try #require(ProxyView(modern))
        #expect(view.revision == "canary" && view.discoveryAddress == "istiod-canary.istio-system.svc:15012")
    }

    @Test func quotesInARevisionAreEscapedAndReadBack() throws {
        let pod = Self.injected(version: IstioVersion(1, 12, 0), revision: #"a"b<c>"#)
        let status = try #require(pod.metadata.annotations["sidecar.istio.io/status"])
        #expect(status.hasSuffix(#","revision":"a\"b\u003cc\u003e"}"#))
        #expect(ProxyView.revision(inStatus: status) == #"a"b<c>"#)
        #expect(ProxyView.revision(inStatus: "not json") == nil)
    }
}
