import JSON
import Kubernetes
/// The world `xdsemu up` starts with when it has no saved state: the seed scenario's cluster before
/// Istio is installed. Namespace `default` labelled `istio-injection=enabled` and running Istio's
/// bookinfo sample (`samples/bookinfo/platform/kube/bookinfo.yaml`), plus an empty `istio-system`.
/// With `istio` set, that release is installed first as the default revision (istiod and the
/// ingress gateway in `istio-system`, as the seed's cluster had 1.5.4) and bookinfo is injected by it.
extension World {
    package static let bookinfoVersion = "1.16.2"

    /// Builds the default world as if it had been set up `age` milliseconds before `now`, with
    /// every pod already Running; deterministic for a given config and `now`.
    package static func defaultWorld(
        config: WorldConfig = WorldConfig(), now: Timestamp, ageMilliseconds: Int64 = 3_600_000,
        istio: IstioVersion? = nil
    ) -> World {
        var world = World(config: config, now: Timestamp(milliseconds: now.milliseconds - ageMilliseconds))
        let admission: [any AdmissionControl] = [SidecarInjector(), IstioConfigValidation()]
        func create(_ o: KubeObject) {
            do { _ = try world.create(o, admission: admission) } catch { preconditionFailure("default world object refused: \(error)") }
        }
        for ns in ["default", "kube-system", "kube-public", "istio-system"] {
            create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: ns, labels: ns == "default" ? ["istio-injection": "enabled"] : [:])))
        }
        if let istio {
            var spec = IstioInstallSpec(version: istio)
            spec.prometheusAddon = false  // the seed's istio-system has istiod and the gateway only
            let manifest = IstioManifest(spec)
            (manifest.definitions + manifest.allObjects).forEach(create)
            // From 1.12 the install also makes itself the default tag, as `istioctl install` does.
            if RevisionTag.installBecomesDefault(spec, injectorsBefore: []),
                case .success(let tag) = RevisionTag.plan(
                    tag: RevisionTag.defaultName, revision: spec.revisionLabel, overwrite: true, istioctl: istio,
                    mutating: world.list(.mutatingWebhookConfigurations), validating: world.list(.validatingWebhookConfigurations))
            {
                for changed in tag.update { _ = try? world.update(changed) }
                tag.apply.forEach(create)
            }
            // Let istiod become ready (its injector must answer before bookinfo's pods are created),
            // then do what its webhook controller does: make validation fail closed.
            _ = world.advance(to: world.now + 8 * config.stepMilliseconds, admission: admission)
            for validator in world.list(.validatingWebhookConfigurations) {
                if let closed = IstioManifest.failingClosed(validator) { _ = try? world.update(closed) }
            }
        }
        for service in ["details", "productpage", "ratings", "reviews"] {
            create(
                KubeObject(
                    resource: .services,
                    metadata: ObjectMeta(name: service, namespace: "default", labels: ["app": .init(service), "service": .init(service)]),
                    body: ["spec": ["ports": [["port": 9080, "name": "http"]], "selector": ["app": .string(service)]]]))
            create(
                KubeObject(
                    resource: .serviceAccounts,
                    metadata: ObjectMeta(name: "bookinfo-\(service)", namespace: "default", labels: ["account": .init(service)])))
        }
        for (app, version) in [
            ("details", "v1"), ("productpage", "v1"), ("ratings", "v1"), ("reviews", "v1"), ("reviews", "v2"), ("reviews", "v3"),
        ] {
            create(bookinfoDeployment(app: app, version: version))
        }
        _ = world.advance(to: now, admission: admission)
        return world
    }

    /// One bookinfo Deployment, as the sample's YAML declares it.
    package static func bookinfoDeployment(app: String, version: String) -> KubeObject {
        let labels: JSONValue = ["app": .string(app), "version": .string(version)]
        return KubeObject(
            resource: .deployments,
            metadata: ObjectMeta(name: "\(app)-\(version)", namespace: "default", labels: ["app": app, "version": version]),
            body: [
                "spec": [
                    "replicas": 1,
                    "selector": ["matchLabels": labels],
                    "template": [
                        "metadata": ["labels": labels],
                        "spec": [
                            "serviceAccountName": .string("bookinfo-\(app)"),
                            "containers": [
                                [
                                    "name": .string(app),
                                    "image": .string("docker.io/istio/examples-bookinfo-\(app)-\(version):\(bookinfoVersion)"),
                                    "imagePullPolicy": "IfNotPresent",
                                    "ports": [["containerPort": 9080]],
                                ]
                            ],
                        ],
                    ],
                ]
            ])
    }
}
