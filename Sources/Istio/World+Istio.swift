import JSON
import Kubernetes
/// The installed Istio control planes, read from the world's objects: a revision is its istiod
/// Deployment (`app=istiod` in the Istio namespace), whatever installed it.
package struct IstioRevision: Hashable, Sendable {
    /// `default` for the non-revisioned control plane, else the revision's name.
    package var name: String
    package var version: IstioVersion
    package var namespace: String
    package var deployment: String
    /// The Service proxies reach it at (`istiod`, `istiod-canary`).
    package var service: String
    /// Its istiod pods that are ready, by name.
    package var readyPods: [String]

    /// `istiod-canary.istio-system.svc`.
    package var host: String { "\(service).\(namespace).svc" }
    package var isDefault: Bool { name == "default" }
}

extension World {
    /// Every istiod Deployment in `namespace`, sorted by name.
    package func istioRevisions(namespace: String = "istio-system") -> [IstioRevision] {
        list(.deployments, namespace: namespace, labels: .matchLabels(["app": "istiod"])).compactMap { d in
            guard !d.isTerminating else { return nil }
            let name = d.labels["istio.io/rev"] ?? InjectorWebhook.revision(ofService: d.name)
            let image = d.spec[path: ["template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue ?? ""
            guard let version = d.labels["operator.istio.io/version"].flatMap(IstioVersion.init) ?? Self.imageTag(image)
            else { return nil }
            let ready = owned(by: d, .replicaSets).flatMap { owned(by: $0, .pods) }.filter(Self.isReady).map(\.name).sorted()
            return IstioRevision(
                name: name, version: version, namespace: namespace, deployment: d.name, service: d.name, readyPods: ready)
        }
    }

    /// `docker.io/istio/proxyv2:1.6.0` → 1.6.0.
    static func imageTag(_ image: String) -> IstioVersion? {
        guard let colon = image.lastIndex(of: ":") else { return nil }
        return IstioVersion(String(image[image.index(after: colon)...]))
    }

    /// Every Istio injector webhook in the world, in the order the API server calls them.
    package func injectorWebhooks() -> [InjectorWebhook] {
        let revisions = istioRevisions()
        return list(.mutatingWebhookConfigurations).flatMap { c in
            InjectorWebhook.webhooks(of: c) { rev in revisions.first { $0.name == rev }?.version }
        }
    }

    /// Why the API server could not call a webhook backed by `service`, if it could not: the
    /// Service is gone, or no ready pod backs it (the seed's dead default istiod).
    package func webhookCallFailure(webhook: String, postURL: String, service: String, namespace: String) -> WorldError? {
        let detail: String
        if let svc = get(ObjectKey(.services, namespace: namespace, name: service)) {
            guard endpoints(of: ServiceView(svc)).isEmpty else { return nil }
            detail = "no endpoints available for service \"\(service)\""
        } else {
            detail = "service \"\(service)\" not found"
        }
        return WorldError(.internalError, "Internal error occurred: failed calling webhook \"\(webhook)\": \(postURL): \(detail)")
    }

    /// Whether a pod in `namespace` with these labels and annotations would be injected now, and why.
    package func injectionDecision(namespace: String, podLabels: [String: String], podAnnotations: [String: String] = [:])
        -> InjectionDecision
    {
        InjectionDecision.decide(
            namespace: namespace, namespaceLabels: namespaceLabels(namespace) ?? [:], podLabels: podLabels,
            podAnnotations: podAnnotations, webhooks: injectorWebhooks())
    }
}
