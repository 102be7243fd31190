import JSON
import Kubernetes
/// What an Istio injector adds to a pod (docs/istio-facts.md §4.1): the `istio-init` init container, the
/// `istio-proxy` container on the revision's proxy image, the status annotation and, by release,
/// the `istio.io/rev` and canonical-service labels. The pod thereby records its revision, its
/// proxy's version (the image tag, as `ISTIO_META_ISTIO_VERSION` comes from the image) and its
/// discovery address (`PROXY_CONFIG`), which `ProxyView` reads back.
enum SidecarTemplate {
    static func inject(into pod: inout KubeObject, by injector: InjectorWebhook) {
        let v = injector.version
        let image = JSONValue.string("docker.io/istio/proxyv2:\(v)")
        let discoveryAddress = "\(injector.service).\(injector.serviceNamespace).svc:15012"
        let app = pod.labels["app"] ?? pod.name
        var spec = pod.spec
        let appContainers = spec["containers"]?.arrayValue ?? []
        let initContainer: JSONValue = [
            "name": "istio-init", "image": image,
            "args": [
                "istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337", "-m", "REDIRECT", "-i", "*", "-x", "", "-b", "*", "-d",
                "15090,15021,15020",
            ],
            "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File", "resources": .object([:]),
        ]
        let proxyConfig: JSONValue = ["discoveryAddress": .string(discoveryAddress), "proxyMetadata": .object([:])]
        let env: [JSONValue] = [
            ["name": "JWT_POLICY", "value": "third-party-jwt"],
            ["name": "PILOT_CERT_PROVIDER", "value": "istiod"],
            ["name": "CA_ADDR", "value": .string(discoveryAddress)],
            ["name": "POD_NAME", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.name"]]],
            ["name": "POD_NAMESPACE", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]],
            ["name": "INSTANCE_IP", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "status.podIP"]]],
            ["name": "SERVICE_ACCOUNT", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "spec.serviceAccountName"]]],
            ["name": "PROXY_CONFIG", "value": .string(proxyConfig.goJSON)],
            ["name": "ISTIO_META_POD_PORTS", "value": .string(podPorts(appContainers).goJSON)],
            ["name": "ISTIO_META_APP_CONTAINERS", "value": .string(appContainers.compactMap { $0["name"]?.stringValue }.joined(separator: ","))],
            ["name": "ISTIO_META_CLUSTER_ID", "value": "Kubernetes"],
            ["name": "ISTIO_META_INTERCEPTION_MODE", "value": "REDIRECT"],
            ["name": "ISTIO_META_MESH_ID", "value": "cluster.local"],
        ]
        let proxy: JSONValue = [
            "name": "istio-proxy", "image": image,
            "args": [
                "proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--serviceCluster",
                .string("\(app).$(POD_NAMESPACE)"), "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error",
                "--concurrency", "2",
            ],
            "env": .array(env),
            "ports": [["containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"]],
            "readinessProbe": [
                "httpGet": ["path": "/healthz/ready", "port": 15021], "initialDelaySeconds": 1, "periodSeconds": 2,
                "failureThreshold": 30,
            ],
            "imagePullPolicy": "IfNotPresent", "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File", "resources": .object([:]),
            "volumeMounts": [
                ["name": "istiod-ca-cert", "mountPath": "/var/run/secrets/istio"],
                ["name": "istio-envoy", "mountPath": "/etc/istio/proxy"],
                ["name": "istio-podinfo", "mountPath": "/etc/istio/pod"],
            ],
        ]
        spec["initContainers"] = .array((spec["initContainers"]?.arrayValue ?? []) + [initContainer])
        spec["containers"] = .array(appContainers + [proxy])
        let volumes: [JSONValue] = [
            ["name": "istio-envoy", "emptyDir": ["medium": "Memory"]],
            ["name": "istio-podinfo", "downwardAPI": ["items": [["path": "labels", "fieldRef": ["fieldPath": "metadata.labels"]]]]],
            ["name": "istiod-ca-cert", "configMap": ["name": "istio-ca-root-cert"]],
        ]
        spec["volumes"] = .array((spec["volumes"]?.arrayValue ?? []) + volumes)
        pod.spec = spec

        // Istio's `SidecarInjectionStatus`, fields in declaration order as `json.Marshal` writes them.
        var status: JSONValue = [
            "version": "", "initContainers": ["istio-init"], "containers": ["istio-proxy"],
            "volumes": ["istio-envoy", "istio-podinfo", "istiod-ca-cert"], "imagePullSecrets": nil,
        ]
        // The revision went into the status annotation from 1.11, when the pod label went away.
        if v.has(.revisionInStatusAnnotation) { status["revision"] = .string(injector.revision) }
        pod.metadata.annotations["sidecar.istio.io/status"] = status.goJSON
        if v.has(.canonicalLabelsOnInjectedPods) {
            pod.metadata.labels["security.istio.io/tlsMode"] = "istio"
            pod.metadata.labels["service.istio.io/canonical-name"] = pod.labels["app"] ?? app
            pod.metadata.labels["service.istio.io/canonical-revision"] = pod.labels["version"] ?? "latest"
        }
        // 1.6–1.10 label injected pods with their revision (PR #22511; dropped in 1.11 for tags).
        if v.has(.revisionLabelOnPods) { pod.metadata.labels["istio.io/rev"] = injector.revision }
    }

    /// The app containers' ports as `ISTIO_META_POD_PORTS` holds them: Kubernetes' `ContainerPort`
    /// fields in declaration order (name, containerPort, protocol), protocol defaulted to TCP.
    static func podPorts(_ containers: [JSONValue]) -> JSONValue {
        let ports = containers.flatMap { $0["ports"]?.arrayValue ?? [] }
        return .array(
            ports.map { p in
                var fields: JSONObject = [:]
                if let n = p["name"]?.stringValue { fields["name"] = .string(n) }
                if let c = p["containerPort"]?.intValue { fields["containerPort"] = .int(c) }
                fields["protocol"] = .string(p["protocol"]?.stringValue ?? "TCP")
                return .object(fields)
            })
    }
}
