/// Which Istio releases have each `IstioBehavior`, and the istio/istio source that shows it
/// (`path@tag`: read that file at that release tag). The one place release numbers are compared;
/// `docs/istio-releases.md` explains each row. A row whose comment says "the source says …"
/// keeps the release the emulator has always used where the source shows another one.
package enum ReleaseTable {
    package struct Row: Hashable, Sendable {
        /// The first release with the behaviour; nil: every release before `removed`.
        package var introduced: IstioVersion?
        /// The first release without it again; nil: still there.
        package var removed: IstioVersion?
        /// `path@tag` in istio/istio.
        package var source: String

        init(from introduced: String? = nil, until removed: String? = nil, source: String) {
            self.introduced = introduced.map(Self.release)
            self.removed = removed.map(Self.release)
            self.source = source
        }

        static func release(_ text: String) -> IstioVersion {
            guard let version = IstioVersion(text) else { preconditionFailure("not a release: \(text)") }
            return version
        }

        package func contains(_ version: IstioVersion) -> Bool {
            if let introduced, version < introduced { return false }
            if let removed, version >= removed { return false }
            return true
        }
    }

    package static func row(_ behavior: IstioBehavior) -> Row {
        switch behavior {
        // MARK: What an install renders
        case .revisionLabelOnControlPlane:
            // deployment.yaml:8; likewise service.yaml, configmap.yaml, mutatingwebhook.yaml, telemetryv2_*.yaml.
            Row(from: "1.6.0", source: "manifests/charts/istio-control/istio-discovery/templates/deployment.yaml@1.6.0")
        case .revisionLabelOnPilotComponent:
            // addComponentLabels, ~300: "Only pilot component uses revisions".
            Row(from: "1.6.0", source: "operator/pkg/helmreconciler/reconciler.go@1.6.0")
        case .revisionLabelOnEveryComponent:
            // addComponentLabels, ~363: every component, `default` when unrevisioned.
            Row(from: "1.7.0", source: "operator/pkg/helmreconciler/reconciler.go@1.7.0")
        case .istioPilotService:
            // The `istio-pilot` Service; the 1.6.0 chart's service.yaml has only `istiod`.
            Row(until: "1.6.0", source: "manifests/istio-control/istio-discovery/templates/service.yaml@1.5.0")
        case .istiodControlPlane:
            // Ports 15010, 15012, 443→15017, 15014 on `istiod`.
            Row(from: "1.6.0", source: "manifests/charts/istio-control/istio-discovery/templates/service.yaml@1.6.0")
        case .istiodDNSPort:
            // The source says until 1.6.5: 1.6.4's service.yaml still has `dns` 53/UDP.
            Row(from: "1.6.0", until: "1.6.4", source: "manifests/charts/istio-control/istio-discovery/templates/service.yaml@1.6.0")
        case .istiodDNSTLSPort:
            // The source says until 1.8.0: every 1.7.x service.yaml still has `dns-tls` 853.
            Row(from: "1.6.0", until: "1.7.0", source: "manifests/charts/istio-control/istio-discovery/templates/service.yaml@1.6.0")
        case .canonicalLabelsOnGateways:
            // The source says from 1.5.0: its gateway pods carry them (canonical-revision "1.5").
            Row(from: "1.6.0", source: "manifests/charts/gateways/istio-ingress/templates/deployment.yaml@1.6.0")
        case .telemetryEnvoyFilters:
            // metadata-exchange-1.5 and friends; 1.4 unverified.
            Row(from: "1.5.0", source: "manifests/istio-control/istio-discovery/templates/telemetryv2_1.5.yaml@1.5.0")
        case .prometheusAddon:
            // default.yaml:212. The source says 1.5–1.6: the 1.5.0 profile enables it too, 1.7.0's does not.
            Row(from: "1.6.0", until: "1.8.0", source: "manifests/profiles/default.yaml@1.6.0")
        case .prometheusValuesSwitch:
            // Unverified: where 1.5 reads `values.prometheus.enabled` was not found.
            Row(until: "1.6.0", source: "operator/data/profiles/default.yaml@1.5.0")

        // MARK: Injection
        case .injectionLabelOverridesRevision:
            // `istio-injection DoesNotExist`; 1.5.0 has `NotIn [disabled]`.
            Row(from: "1.6.0", source: "manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml@1.6.0")
        case .perPodRevisionWebhooks:
            // `useLegacySelectors: false` (values.yaml:71); 1.9.0 defaults to true.
            Row(from: "1.10.0", source: "manifests/charts/istio-control/istio-discovery/values.yaml@1.10.0")
        case .admissionRegistrationV1:
            // mutatingwebhook.yaml:28 `apiVersion: admissionregistration.k8s.io/v1`; 1.9.0 is v1beta1.
            Row(from: "1.10.0", source: "manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml@1.10.0")
        case .admissionReviewV1:
            // The source says from 1.7.0: its mutatingwebhook.yaml:30 already lists ["v1beta1", "v1"].
            Row(from: "1.10.0", source: "manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml@1.7.0")
        case .revisionLabelOnPods:
            // addLabels with model.RevisionLabel, ~616; 1.11.0 stops (webhook.go ~313).
            Row(from: "1.6.0", until: "1.11.0", source: "pkg/kube/inject/webhook.go@1.6.0")
        case .revisionInStatusAnnotation:
            // ~313: "Rather than setting istio.io/rev label on injected pods include them here in status annotation."
            Row(from: "1.11.0", source: "pkg/kube/inject/webhook.go@1.11.0")
        case .canonicalLabelsOnInjectedPods:
            // The source says from 1.5.0: its webhook.go (~592) adds tlsMode and the canonical labels.
            Row(from: "1.6.0", source: "pkg/kube/inject/webhook.go@1.6.0")
        case .injectionLabelOnPods:
            // The source says from 1.12.0: injectRequired (~193) reads the label first; 1.10/1.11 read the annotation only.
            Row(from: "1.10.0", source: "pkg/kube/inject/inject.go@1.12.0")
        case .injectValueTrueOrFalse:
            // The source says from 1.27.0 (~229): through 1.26 `y|yes|true|on` inject and any other value disables.
            Row(from: "1.10.0", source: "pkg/kube/inject/inject.go@1.27.0")
        case .defaultTag:
            // generate.go ~117 calls DeactivateIstioInjectionWebhook; util.go ~146 `istio.io/deactivated: never-match`.
            Row(from: "1.12.0", source: "istioctl/pkg/tag/generate.go@1.12.0")
        case .xdsThroughAgent:
            // ~320: the `xds-grpc` cluster's pipe `./etc/istio/proxy/XDS`; 1.7.0's is STRICT_DNS on the service.
            Row(from: "1.8.0", source: "tools/packaging/common/envoy_bootstrap.json@1.8.0")

        // MARK: What istioctl accepts and prints
        case .revisionFlag:
            // The source says from 1.6.0: manifest-apply.go:81 already has `-r/--revision`.
            Row(from: "1.9.0", source: "operator/cmd/mesh/manifest-apply.go@1.6.0")
        case .revisionNameValidation:
            // install.go ~116: `labels.IsDNS1123Label`, "invalid revision specified: %v".
            Row(from: "1.9.0", source: "operator/cmd/mesh/install.go@1.9.0")
        case .revisionSelectsControlPlane:
            // ~215: `,istio.io/rev=<rev>` appended to the label selector.
            Row(from: "1.6.0", source: "istioctl/pkg/kubernetes/client.go@1.6.0")
        case .versionSkipsGateways:
            // ~273: `istio,istio!=ingressgateway,istio!=egressgateway,istio!=ilbgateway`.
            Row(from: "1.6.0", source: "istioctl/pkg/kubernetes/client.go@1.6.0")
        case .versionAsksIstiodPods:
            // GetIstioVersions ~686: `app=istiod`.
            Row(from: "1.8.0", source: "pkg/kube/client.go@1.8.0")
        case .istioctlAsksIstiod:
            // ~151 syncz from `app=istiod`; ~286 `istiod` in the exec table (1.5.0: `istio=pilot`, no `istiod`).
            Row(from: "1.6.0", source: "istioctl/pkg/kubernetes/client.go@1.6.0")
        case .istiodColumnInProxyStatus:
            // ~91: `NAME CDS LDS EDS RDS ISTIOD VERSION`.
            Row(from: "1.7.0", source: "istioctl/pkg/writer/pilot/status.go@1.7.0")
        case .clusterColumnInProxyStatus:
            // ~92: `NAME CLUSTER CDS LDS EDS RDS ISTIOD VERSION`.
            Row(from: "1.13.0", source: "istioctl/pkg/writer/pilot/status.go@1.13.0")
        case .ecdsColumnInProxyStatus:
            // ~95: `NAME CLUSTER CDS LDS EDS RDS ECDS ISTIOD VERSION`.
            Row(from: "1.14.0", source: "istioctl/pkg/writer/pilot/status.go@1.14.0")
        case .destinationRuleColumn:
            // ~71: `SERVICE FQDN PORT SUBSET DIRECTION TYPE DESTINATION RULE`.
            Row(from: "1.7.0", source: "istioctl/pkg/writer/envoy/configdump/cluster.go@1.7.0")
        case .circuitBreakersInClusterStatus:
            // go-control-plane 12785f608982 has ClusterStatus.CircuitBreakers; 1.7.0's ba7954ce7df4 does not.
            Row(from: "1.8.0", source: "go.mod@1.8.0")
        case .observabilityNameInClusterStatus:
            // go-control-plane 63b5d3c536b0 has ObservabilityName; 1.9.0's 31f9241a16e6 does not.
            Row(from: "1.10.0", source: "go.mod@1.10.0")
        case .edsServiceNameInClusterStatus:
            // The source says from 1.16.0: its go-control-plane 2b9739221838 is the first with EdsServiceName
            // (1.15.0's b024c36d9935 lacks it).
            Row(from: "1.15.0", source: "go.mod@1.16.0")

        // MARK: Which commands istioctl has
        case .experimentalUninstallCommand:
            // root.go ~226: `experimentalCmd.AddCommand(mesh.UninstallCmd(…))`.
            Row(from: "1.7.0", source: "istioctl/cmd/root.go@1.7.0")
        case .uninstallCommand:
            // root.go ~224: `rootCmd.AddCommand(mesh.UninstallCmd(…))`.
            Row(from: "1.15.0", source: "istioctl/cmd/root.go@1.15.0")
        case .revisionCommand:
            // root.go ~226. Gone again in 1.21.0 (no istioctl/pkg/revision); the emulator keeps it.
            Row(from: "1.10.0", source: "istioctl/cmd/root.go@1.10.0")
        case .experimentalTagCommand:
            // revision.go ~113: `revisionCmd.AddCommand(tagCommand())`.
            Row(from: "1.10.0", source: "istioctl/cmd/revision.go@1.10.0")
        case .tagCommand:
            // root.go ~267: `rootCmd.AddCommand(tagCmd)`.
            Row(from: "1.11.0", source: "istioctl/cmd/root.go@1.11.0")
        case .checkInjectCommand:
            // The source says from 1.16.0: its root.go ~241 already adds checkInjectCommand().
            Row(from: "1.17.0", source: "istioctl/cmd/root.go@1.16.0")

        // MARK: What istiod and the proxies log
        case .adsNewConnectionLog:
            // ~153 `ADS: new connection for node:%s`; 1.7.0 logs `ADS:CDS: REQ %v version:%s` (ads.go ~371).
            Row(from: "1.8.0", source: "pilot/pkg/xds/ads.go@1.8.0")
        case .connectionIDFromProxyID:
            // initConnection: `con.ConID = connectionID(proxy.ID)`; 1.10.0 passes `node.Id`.
            Row(from: "1.11.0", source: "pilot/pkg/xds/ads.go@1.11.0")
        case .pushLogVersion:
            // ~805 `XDS: Pushing:%s Services:%d ConnectedEndpoints:%d  Version:%s`; 1.8.0 has no Version.
            Row(from: "1.9.0", source: "pilot/pkg/xds/ads.go@1.9.0")
        case .pushLogWithoutTrigger:
            // ~846 `XDS: Pushing Services:%d ConnectedEndpoints:%d Version:%s`.
            Row(from: "1.19.0", source: "pilot/pkg/xds/ads.go@1.19.0")
        case .agentXDSProxyLog:
            // `proxyLog.Infof("connected to upstream XDS server: %s", …)`, scope `xdsproxy`; 1.8.0 has no such line.
            Row(from: "1.9.0", source: "pkg/istio-agent/xds_proxy.go@1.9.0")
        case .envoyLogLocation:
            // `--log-format %Y-%m-%dT%T.%fZ\t%l\tenvoy %n %g:%#\t%v\tthread=%t`; 1.16.0 has no `%g:%#`.
            Row(from: "1.17.0", source: "pkg/envoy/proxy.go@1.17.0")

        // MARK: What proxy-config prints of listeners and routes
        case .listenerMatchColumns:
            // proxyconfig.go ~404: `--verbose` defaults to true; listener.go ~137 `ADDRESS\tPORT\tMATCH\tDESTINATION`.
            Row(from: "1.7.0", source: "istioctl/cmd/proxyconfig.go@1.7.0")
        case .listenerAddressesColumn:
            // listener.go ~315 `printStr := "ADDRESSES\tPORT"`; 1.18.0 prints `ADDRESS`.
            Row(from: "1.19.0", source: "istioctl/pkg/writer/envoy/configdump/listener.go@1.19.0")
        case .routeMatchColumns:
            // route.go ~56 `NAME\tDOMAINS\tMATCH\tVIRTUAL SERVICE`; 1.6.0 has only `NAME\tVIRTUAL HOSTS`.
            Row(from: "1.7.0", source: "istioctl/pkg/writer/envoy/configdump/route.go@1.7.0")
        case .routeVirtualHostColumn:
            // route.go ~56 `NAME\tVHOST NAME\tDOMAINS\tMATCH\tVIRTUAL SERVICE`.
            Row(from: "1.18.0", source: "istioctl/pkg/writer/envoy/configdump/route.go@1.18.0")
        }
    }
}

extension IstioVersion {
    /// Whether this release has `behavior` (its `ReleaseTable` row).
    package func has(_ behavior: IstioBehavior) -> Bool { ReleaseTable.row(behavior).contains(self) }
}
