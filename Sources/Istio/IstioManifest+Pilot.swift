import JSON
import Kubernetes
/// The istio-discovery chart: istiod's Deployment, Service(s), mesh and injector ConfigMaps, the
/// sidecar-injector webhook and the per-revision EnvoyFilters.
extension IstioManifest {
    static func pilot(_ spec: IstioInstallSpec) -> RenderedComponent {
        let v = spec.version
        let rev = spec.revisionLabel
        let revisioned = v.has(.revisionLabelOnControlPlane)
        // 1.6 charts: revisioned pods are `istio: istiod`; the default one stays `istio: pilot`.
        let podIstioLabel = spec.revision.isEmpty ? "pilot" : "istiod"
        var deploymentLabels = ["app": "istiod", "istio": "pilot", "release": "istio"]
        var podLabels = ["app": "istiod", "istio": podIstioLabel]
        var selector = ["istio": "pilot"]
        var serviceSelector = ["app": "istiod", "istio": "pilot"]
        if revisioned {
            deploymentLabels["istio.io/rev"] = rev
            podLabels["istio.io/rev"] = rev
        }
        if !spec.revision.isEmpty {
            selector = ["app": "istiod", "istio.io/rev": rev]
            serviceSelector = selector
        }
        let env: [JSONValue] = [
            ["name": "REVISION", "value": .string(rev)],
            ["name": "JWT_POLICY", "value": "third-party-jwt"],
            ["name": "PILOT_CERT_PROVIDER", "value": "istiod"],
            ["name": "POD_NAME", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.name"]]],
            ["name": "POD_NAMESPACE", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]],
            ["name": "SERVICE_ACCOUNT", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "spec.serviceAccountName"]]],
            ["name": "ISTIOD_ADDR", "value": .string(spec.discoveryAddress)],
            ["name": "INJECTION_WEBHOOK_CONFIG_NAME", "value": .string("istio-sidecar-injector\(spec.suffix)")],
            ["name": "CLUSTER_ID", "value": "Kubernetes"],
        ]
        let deployment = object(
            .deployments, spec.istiodName, spec, .pilot, labels: deploymentLabels,
            body: [
                "spec": [
                    "replicas": 1,
                    "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "100%", "maxUnavailable": "25%"]],
                    "selector": ["matchLabels": JSONValue(selector)],
                    "template": [
                        "metadata": [
                            "labels": JSONValue(podLabels),
                            "annotations": ["sidecar.istio.io/inject": "false", "prometheus.io/port": "15014", "prometheus.io/scrape": "true"],
                        ],
                        "spec": [
                            "serviceAccountName": "istiod-service-account",
                            "containers": [
                                [
                                    "name": "discovery", "image": .string("\(spec.hub)/pilot:\(v)"),
                                    "args": [
                                        "discovery", "--monitoringAddr=:15014", "--log_output_level=default:info", "--domain",
                                        "cluster.local", "--trust-domain=cluster.local", "--keepaliveMaxServerConnectionAge", "30m",
                                    ],
                                    "ports": [
                                        ["containerPort": 8080], ["containerPort": 15010], ["containerPort": 15017],
                                    ],
                                    "readinessProbe": ["httpGet": ["path": "/ready", "port": 8080], "initialDelaySeconds": 1, "periodSeconds": 3],
                                    "env": .array(env),
                                ]
                            ],
                        ],
                    ],
                ]
            ])
        var serviceLabels = ["app": "istiod", "istio": "pilot", "release": "istio"]
        if revisioned { serviceLabels["istio.io/rev"] = rev }
        let service = object(
            .services, spec.istiodName, spec, .pilot, labels: serviceLabels,
            body: ["spec": ["selector": JSONValue(serviceSelector), "ports": .array(istiodPorts(v))]])
        var objects = [deployment, service]
        if v.has(.istioPilotService) {
            // 1.5 still had the `istio-pilot` Service beside `istiod`.
            objects.append(
                object(
                    .services, "istio-pilot", spec, .pilot, labels: ["app": "pilot", "istio": "pilot", "release": "istio"],
                    body: [
                        "spec": [
                            "selector": ["istio": "pilot"],
                            "ports": .array(
                                [("grpc-xds", 15010), ("https-xds", 15011), ("https-dns", 15012), ("http-legacy-discovery", 8080), ("http-monitoring", 15014), ("https-webhook", 443)]
                                    .map { ["name": .string($0.0), "port": .int(Int64($0.1)), "protocol": "TCP"] }),
                        ]
                    ]))
        }
        var configLabels = ["istio": "pilot", "release": "istio"]
        if revisioned { configLabels["istio.io/rev"] = rev }
        objects.append(
            object(
                .configMaps, "istio\(spec.suffix)", spec, .pilot, labels: configLabels,
                body: ["data": ["mesh": .string(meshConfig(spec)), "meshNetworks": "networks: {}\n"]]))
        objects.append(
            object(
                .configMaps, "istio-sidecar-injector\(spec.suffix)", spec, .pilot, labels: configLabels,
                body: [
                    "data": [
                        "config": .string("policy: enabled\nalwaysInjectSelector: []\nneverInjectSelector: []\ntemplate: |\n  # istio-proxy and istio-init, Istio \(v)\n"),
                        "values": .string("{\"global\":{\"hub\":\"\(spec.hub)\",\"tag\":\"\(v)\"},\"revision\":\"\(spec.revision)\"}"),
                    ]
                ]))
        objects.append(injectorConfiguration(spec))
        if v.has(.perRevisionValidator) { objects.append(revisionValidator(spec)) }
        return RenderedComponent(component: .pilot, objects: objects, istioConfig: envoyFilters(spec), deployments: [spec.istiodName])
    }

    /// istiod's Service ports by release (docs/istio-facts.md §3.1).
    static func istiodPorts(_ v: IstioVersion) -> [JSONValue] {
        func port(_ name: String, _ port: Int64, _ target: Int64? = nil, _ proto: String = "TCP") -> JSONValue {
            ["name": .string(name), "port": .int(port), "targetPort": .int(target ?? port), "protocol": .string(proto)]
        }
        if !v.has(.istiodControlPlane) { return [port("https-dns", 15012), port("https-webhook", 443, 15017)] }
        var ports = [port("grpc-xds", 15010), port("https-dns", 15012), port("https-webhook", 443, 15017), port("http-monitoring", 15014)]
        if v.has(.istiodDNSPort) { ports.append(port("dns", 53, 15053, "UDP")) }
        if v.has(.istiodDNSTLSPort) { ports.append(port("dns-tls", 853, 15053)) }
        return ports
    }

    /// The mesh config: what matters to the emulator is the discovery address proxies inherit.
    static func meshConfig(_ spec: IstioInstallSpec) -> String {
        """
        accessLogFile: ""
        defaultConfig:
          discoveryAddress: \(spec.discoveryAddress)
          proxyMetadata: {}
          tracing:
            zipkin:
              address: zipkin.\(spec.namespace):9411
        enablePrometheusMerge: false
        rootNamespace: \(spec.namespace)
        trustDomain: cluster.local

        """
    }

    /// `<filter>-<minor>[-<rev>]`, sorted as the operator reports them.
    static func envoyFilters(_ spec: IstioInstallSpec) -> [KubeObject] {
        guard spec.version.has(.telemetryEnvoyFilters) else { return [] }
        var names = ["metadata-exchange", "tcp-metadata-exchange"]
        if spec.prometheusTelemetry { names += ["stats-filter", "tcp-stats-filter"] }
        if spec.stackdriverTelemetry { names += ["stackdriver-filter"] }
        var configLabels: [String: String] = [:]
        if spec.version.has(.revisionLabelOnControlPlane) { configLabels["istio.io/rev"] = spec.revisionLabel }
        return names.sorted().map { base in
            object(
                .envoyFilters, "\(base)-\(spec.version.minorString)\(spec.suffix)", spec, .pilot, labels: configLabels,
                body: ["spec": ["configPatches": [["applyTo": "HTTP_FILTER", "match": ["context": "ANY"]]]]])
        }
    }
}
