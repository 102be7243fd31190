import JSON
import Kubernetes
/// The gateway charts. Gateways are not revisioned in these releases: a canary install re-renders
/// the same `istio-ingressgateway` Deployment with the new image, `CA_ADDR` and mesh ConfigMap,
/// so applying it upgrades the gateway in place (a rolling update onto the new revision).
extension IstioManifest {
    static func gateway(_ spec: IstioInstallSpec, ingress: Bool) -> RenderedComponent {
        let name = ingress ? "istio-ingressgateway" : "istio-egressgateway"
        let istioLabel = ingress ? "ingressgateway" : "egressgateway"
        let component: Component = ingress ? .ingressGateways : .egressGateways
        let labels = ["app": name, "istio": istioLabel, "release": "istio"]
        var podLabels = ["app": name, "istio": istioLabel, "chart": "gateways", "heritage": "Tiller", "release": "istio"]
        if spec.version.has(.canonicalLabelsOnGateways) {
            podLabels["service.istio.io/canonical-name"] = name
            // 1.5's chart hard-codes its minor ("1.5"); from 1.6 the revision, else `latest`.
            podLabels["service.istio.io/canonical-revision"] =
                !spec.version.has(.revisionLabelOnControlPlane) ? spec.version.minorString : spec.revision.isEmpty ? "latest" : spec.revision
        }
        let env: [JSONValue] = [
            ["name": "JWT_POLICY", "value": "third-party-jwt"],
            ["name": "PILOT_CERT_PROVIDER", "value": "istiod"],
            // The gateway reaches its control plane here: after a canary install, the canary.
            ["name": "CA_ADDR", "value": .string(spec.discoveryAddress)],
            ["name": "NODE_NAME", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "spec.nodeName"]]],
            ["name": "POD_NAME", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.name"]]],
            ["name": "POD_NAMESPACE", "valueFrom": ["fieldRef": ["apiVersion": "v1", "fieldPath": "metadata.namespace"]]],
            ["name": "ISTIO_META_ROUTER_MODE", "value": "sni-dnat"],
            ["name": "ISTIO_META_CLUSTER_ID", "value": "Kubernetes"],
        ]
        // The status port: 15020 in 1.5, 15021 from 1.6 (the profiles' gateway Service ports).
        let status: Int64 = spec.version.has(.gatewayStatusPort15021) ? 15021 : 15020
        let ports: [JSONValue] = (ingress ? [status, 8080, 8443, 15443, 15090] : [8080, 8443, 15443, 15090]).map {
            ["containerPort": .int(Int64($0))]
        }
        let deployment = object(
            .deployments, name, spec, component, labels: labels,
            body: [
                "spec": [
                    "replicas": 1,
                    "strategy": ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "100%", "maxUnavailable": "25%"]],
                    "selector": ["matchLabels": ["app": .string(name), "istio": .string(istioLabel)]],
                    "template": [
                        "metadata": [
                            "labels": JSONValue(podLabels),
                            "annotations": ["sidecar.istio.io/inject": "false", "prometheus.io/port": "15090", "prometheus.io/scrape": "true"],
                        ],
                        "spec": [
                            "serviceAccountName": .string("\(name)-service-account"),
                            "containers": [
                                [
                                    "name": "istio-proxy", "image": .string("\(spec.hub)/proxyv2:\(spec.version)"),
                                    "args": [
                                        "proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning",
                                        "--proxyComponentLogLevel=misc:error", "--log_output_level=default:info", "--serviceCluster",
                                        .string(name),
                                    ],
                                    "ports": .array(ports),
                                    "env": .array(env),
                                    "volumeMounts": [["name": "config-volume", "mountPath": "/etc/istio/config"]],
                                ]
                            ],
                            "volumes": [["name": "config-volume", "configMap": ["name": .string("istio\(spec.suffix)"), "optional": true]]],
                        ],
                    ],
                ]
            ])
        let servicePorts: [JSONValue] =
            ingress
            ? [
                ["name": "status-port", "port": .int(status), "targetPort": .int(status), "protocol": "TCP"],
                ["name": "http2", "port": 80, "targetPort": 8080, "protocol": "TCP"],
                ["name": "https", "port": 443, "targetPort": 8443, "protocol": "TCP"],
                ["name": "tls", "port": 15443, "targetPort": 15443, "protocol": "TCP"],
            ]
            : [
                ["name": "http2", "port": 80, "targetPort": 8080, "protocol": "TCP"],
                ["name": "https", "port": 443, "targetPort": 8443, "protocol": "TCP"],
                ["name": "tls", "port": 15443, "targetPort": 15443, "protocol": "TCP"],
            ]
        let service = object(
            .services, name, spec, component, labels: labels,
            body: [
                "spec": [
                    "type": .string(ingress ? "LoadBalancer" : "ClusterIP"),
                    "selector": ["app": .string(name), "istio": .string(istioLabel)], "ports": .array(servicePorts),
                ]
            ])
        let account = object(.serviceAccounts, "\(name)-service-account", spec, component, labels: labels, body: [:])
        return RenderedComponent(component: component, objects: [account, deployment, service], istioConfig: [], deployments: [name])
    }
}
