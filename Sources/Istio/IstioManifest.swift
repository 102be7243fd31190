import JSON
import Kubernetes
/// The Kubernetes objects an Istio install creates, per component, as that release's charts
/// render them for one revision (docs/istio-facts.md §6). Pure: the CLI applies them through the API; the
/// default world creates them directly.
///
/// Only kinds the emulator stores are rendered (no CRDs, RBAC, HPAs or PDBs); every rendered object
/// carries the operator's labels so `uninstall --revision` can find it again.
package struct IstioManifest: Hashable, Sendable {
    /// One operator component, in install order.
    package enum Component: String, Hashable, Sendable, CaseIterable {
        case base = "Base"
        case pilot = "Pilot"
        case ingressGateways = "IngressGateways"
        case egressGateways = "EgressGateways"
        case addons = "AddonComponents"

        /// What `istioctl install` prints (`✔ Istio core installed`).
        package var title: String {
            switch self {
            case .base: "Istio core"
            case .pilot: "Istiod"
            case .ingressGateways: "Ingress gateways"
            case .egressGateways: "Egress gateways"
            case .addons: "Addons"
            }
        }
    }

    package struct RenderedComponent: Hashable, Sendable {
        package var component: Component
        /// Plain Kubernetes objects, applied first.
        package var objects: [KubeObject]
        /// Istio config (EnvoyFilters): Istio's validating webhook checks these.
        package var istioConfig: [KubeObject]
        /// Deployments the installer waits for before reporting the component installed.
        package var deployments: [String]
        /// CustomResourceDefinitions (Base only), applied before everything else.
        package var definitions: [KubeObject] = []
    }

    package var spec: IstioInstallSpec
    package var components: [RenderedComponent]

    package init(_ spec: IstioInstallSpec) {
        self.spec = spec
        var components: [RenderedComponent] = []
        if spec.profile != "empty" {
            components.append(Self.base(spec))
            components.append(Self.pilot(spec))
        }
        if spec.ingressGateway { components.append(Self.gateway(spec, ingress: true)) }
        if spec.egressGateway { components.append(Self.gateway(spec, ingress: false)) }
        if spec.prometheusAddon { components.append(Self.addons(spec)) }
        self.components = components
    }

    /// Every object, config included, in apply order; the CRDs are in `definitions`.
    package var allObjects: [KubeObject] { components.flatMap { $0.objects + $0.istioConfig } }
    /// The CRDs the install creates (the Base chart's), to apply before `allObjects`.
    package var definitions: [KubeObject] { components.flatMap(\.definitions) }

    // MARK: Labels

    /// What the operator stamps on everything it applies. In 1.6 only Pilot carries `istio.io/rev`
    /// ("Only pilot component uses revisions"); from 1.7 every component does (so uninstalling a
    /// revision also removes the gateways it upgraded); 1.5 stamped no revision at all.
    static func operatorLabels(_ spec: IstioInstallSpec, _ component: Component) -> [String: String] {
        var labels = [
            "operator.istio.io/managed": "Reconcile",
            "operator.istio.io/version": spec.version.description,
            "operator.istio.io/component": component.rawValue,
            "install.operator.istio.io/owning-resource": spec.installedStateName,
            "install.operator.istio.io/owning-resource-namespace": spec.namespace,
        ]
        if (component == .pilot && spec.version.has(.revisionLabelOnPilotComponent)) || spec.version.has(.revisionLabelOnEveryComponent) {
            labels["istio.io/rev"] = spec.revisionLabel
        }
        return labels
    }

    static func object(
        _ resource: ResourceType, _ name: String, _ spec: IstioInstallSpec, _ component: Component,
        labels: [String: String] = [:], annotations: [String: String] = [:], body: JSONObject
    ) -> KubeObject {
        let merged = operatorLabels(spec, component).merging(labels) { _, new in new }
        return KubeObject(
            resource: resource,
            metadata: ObjectMeta(name: name, namespace: resource.namespaced ? spec.namespace : "", labels: merged, annotations: annotations),
            body: body)
    }

    // MARK: Base ("Istio core")

    static func base(_ spec: IstioInstallSpec) -> RenderedComponent {
        let accounts = ["istio-reader-service-account", "istiod-service-account"].map {
            object(.serviceAccounts, $0, spec, .base, labels: ["app": "istiod", "release": "istio"], body: [:])
        }
        let definitions = IstioCRD.baseChart(spec.version).map { $0.object(extraLabels: operatorLabels(spec, .base)) }
        // From 1.11 the validator is the revision's own, rendered with istiod.
        let validators = spec.version.has(.perRevisionValidator) ? [] : [baseValidator(spec)]
        return RenderedComponent(component: .base, objects: accounts + validators, istioConfig: [], deployments: [], definitions: definitions)
    }

    // MARK: Addons (1.6–1.7 prometheus)

    static func addons(_ spec: IstioInstallSpec) -> RenderedComponent {
        let labels = ["app": "prometheus", "release": "istio"]
        let deployment = object(
            .deployments, "prometheus", spec, .addons, labels: labels,
            body: [
                "spec": [
                    "replicas": 1,
                    "selector": ["matchLabels": ["app": "prometheus"]],
                    "template": [
                        "metadata": [
                            "labels": JSONValue(labels), "annotations": ["sidecar.istio.io/inject": "false"],
                        ],
                        "spec": [
                            "serviceAccountName": "prometheus",
                            "containers": [
                                [
                                    "name": "prometheus", "image": "docker.io/prom/prometheus:v2.15.1",
                                    "ports": [["containerPort": 9090, "name": "http"]],
                                ]
                            ],
                        ],
                    ],
                ]
            ])
        let service = object(
            .services, "prometheus", spec, .addons, labels: labels,
            body: ["spec": ["selector": ["app": "prometheus"], "ports": [["name": "http-prometheus", "port": 9090, "protocol": "TCP"]]]])
        let account = object(.serviceAccounts, "prometheus", spec, .addons, labels: labels, body: [:])
        return RenderedComponent(component: .addons, objects: [account, deployment, service], istioConfig: [], deployments: ["prometheus"])
    }
}
