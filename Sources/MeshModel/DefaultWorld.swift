/// The world `xdsemu up` starts with when it has no saved state: the seed scenario's cluster before
/// Istio is installed. Namespace `default` labelled `istio-injection=enabled` and running Istio's
/// bookinfo sample (`samples/bookinfo/platform/kube/bookinfo.yaml`), plus an empty `istio-system`.
/// Istio itself is installed by the revisions work.
extension World {
    public static let bookinfoVersion = "1.16.2"

    /// Builds the default world as if it had been set up `age` milliseconds before `now`, with
    /// every pod already Running; deterministic for a given config and `now`.
    public static func defaultWorld(
        config: WorldConfig = WorldConfig(), now: Timestamp, ageMilliseconds: Int64 = 3_600_000
    ) -> World {
        var world = World(config: config, now: Timestamp(milliseconds: now.milliseconds - ageMilliseconds))
        func create(_ o: KubeObject) {
            do { _ = try world.create(o) } catch { preconditionFailure("default world object refused: \(error)") }
        }
        for ns in ["default", "kube-system", "kube-public", "istio-system"] {
            create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: ns, labels: ns == "default" ? ["istio-injection": "enabled"] : [:])))
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
        _ = world.advance(to: now)
        return world
    }

    /// One bookinfo Deployment, as the sample's YAML declares it.
    public static func bookinfoDeployment(app: String, version: String) -> KubeObject {
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
