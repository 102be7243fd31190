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
            // `dns` 53/UDP → 15053: in every service.yaml from 1.6.0 to 1.6.4, gone in 1.6.5's.
            Row(from: "1.6.0", until: "1.6.5", source: "manifests/charts/istio-control/istio-discovery/templates/service.yaml@1.6.4")
        case .istiodDNSTLSPort:
            // `dns-tls` 853 → 15053: every 1.6.x and 1.7.x service.yaml has it; 1.8.0's does not.
            Row(from: "1.6.0", until: "1.8.0", source: "manifests/charts/istio-control/istio-discovery/templates/service.yaml@1.7.8")
        case .canonicalLabelsOnGateways:
            // deployment.yaml ~57: `service.istio.io/canonical-name`/`canonical-revision` on the pods, already in 1.5.0.
            Row(from: "1.5.0", source: "manifests/gateways/istio-ingress/templates/deployment.yaml@1.5.0")
        case .telemetryEnvoyFilters:
            // metadata-exchange-1.5 and friends; 1.4 unverified.
            Row(from: "1.5.0", source: "manifests/istio-control/istio-discovery/templates/telemetryv2_1.5.yaml@1.5.0")
        case .prometheusAddon:
            // `addonComponents.prometheus.enabled: true` in the 1.6.0 default profile and 1.5.0's
            // (operator/data/profiles/default.yaml@1.5.0:203); 1.7.0's addonComponents has no prometheus.
            Row(until: "1.7.0", source: "manifests/profiles/default.yaml@1.6.0")
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
            // mutatingwebhook.yaml:30 `admissionReviewVersions: ["v1beta1", "v1"]`; 1.6.x's sets none (v1beta1 only).
            Row(from: "1.7.0", source: "manifests/charts/istio-control/istio-discovery/templates/mutatingwebhook.yaml@1.7.0")
        case .revisionLabelOnPods:
            // addLabels with model.RevisionLabel, ~616; 1.11.0 stops (webhook.go ~313).
            Row(from: "1.6.0", until: "1.11.0", source: "pkg/kube/inject/webhook.go@1.6.0")
        case .revisionInStatusAnnotation:
            // ~313: "Rather than setting istio.io/rev label on injected pods include them here in status annotation."
            Row(from: "1.11.0", source: "pkg/kube/inject/webhook.go@1.11.0")
        case .canonicalLabelsOnInjectedPods:
            // webhook.go ~592 adds `security.istio.io/tlsMode` and the canonical-service labels, already in 1.5.0.
            Row(from: "1.5.0", source: "pkg/kube/inject/webhook.go@1.5.0")
        case .injectionLabelOnPods:
            // injectRequired ~193: the `sidecar.istio.io/inject` label wins over the annotation; 1.11.0 reads the annotation only.
            Row(from: "1.12.0", source: "pkg/kube/inject/inject.go@1.12.0")
        case .injectValueTrueOrFalse:
            // injectRequired ~229 "Only 'true' and 'false' are accepted"; through 1.26 `y|yes|true|on` inject, anything else disables.
            Row(from: "1.27.0", source: "pkg/kube/inject/inject.go@1.27.0")
        case .defaultTag:
            // generate.go ~117 calls DeactivateIstioInjectionWebhook; util.go ~146 `istio.io/deactivated: never-match`.
            Row(from: "1.12.0", source: "istioctl/pkg/tag/generate.go@1.12.0")
        case .xdsThroughAgent:
            // ~320: the `xds-grpc` cluster's pipe `./etc/istio/proxy/XDS`; 1.7.0's is STRICT_DNS on the service.
            Row(from: "1.8.0", source: "tools/packaging/common/envoy_bootstrap.json@1.8.0")

        // MARK: What istioctl accepts and prints
        case .revisionFlag:
            // manifest-apply.go:81 `-r/--revision` (install is its alias in 1.6); install.go@1.8.0:79.
            Row(from: "1.6.0", source: "operator/cmd/mesh/manifest-apply.go@1.6.0")
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
            // go-control-plane 2b9739221838 is the first with EdsServiceName; 1.15.0's b024c36d9935 lacks it.
            Row(from: "1.16.0", source: "go.mod@1.16.0")

        // MARK: Which commands istioctl has
        case .experimentalUninstallCommand:
            // root.go ~226: `experimentalCmd.AddCommand(mesh.UninstallCmd(…))`.
            Row(from: "1.7.0", source: "istioctl/cmd/root.go@1.7.0")
        case .uninstallCommand:
            // root.go ~224: `rootCmd.AddCommand(mesh.UninstallCmd(…))`.
            Row(from: "1.15.0", source: "istioctl/cmd/root.go@1.15.0")
        case .revisionCommand:
            // root.go ~226 `experimentalCmd.AddCommand(revisionCommand())`; 1.21.0 has no istioctl/pkg/revision.
            Row(from: "1.10.0", until: "1.21.0", source: "istioctl/cmd/root.go@1.10.0")
        case .experimentalTagCommand:
            // revision.go ~113: `revisionCmd.AddCommand(tagCommand())`; still in istioctl/pkg/revision/revision.go@1.19.0:115,
            // no longer in @1.20.0 (list and describe only).
            Row(from: "1.10.0", until: "1.20.0", source: "istioctl/cmd/revision.go@1.10.0")
        case .tagCommand:
            // root.go ~267: `rootCmd.AddCommand(tagCmd)`.
            Row(from: "1.11.0", source: "istioctl/cmd/root.go@1.11.0")
        case .checkInjectCommand:
            // root.go ~241 `experimentalCmd.AddCommand(checkInjectCommand())`; 1.15.0's root.go has none.
            Row(from: "1.16.0", source: "istioctl/cmd/root.go@1.16.0")

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

        // MARK: Install objects, injection and CLI rules from 1.6 to 1.30
        case .gatewayStatusPort15021:
            // The ingress gateway's `status-port` 15021 (1.5.4's operator/data/profiles/default.yaml: 15020).
            Row(from: "1.6.0", source: "manifests/profiles/default.yaml@1.6.0")
        case .perRevisionValidator:
            // `istio-validator{-REV}-NS`, `rev.validation.istio.io` → `istiod{-REV}`; Base's
            // validatingwebhookconfiguration.yaml exists up to 1.10.x only.
            Row(from: "1.11.0", source: "manifests/charts/istio-control/istio-discovery/templates/validatingwebhookconfiguration.yaml@1.11.0")
        case .defaultValidationInRevisionValidator:
            // The second webhook `validation.istio.io` (objectSelector `istio.io/rev DoesNotExist`); 1.12.0's file has only the first.
            Row(from: "1.11.0", until: "1.12.0", source: "manifests/charts/istio-control/istio-discovery/templates/validatingwebhookconfiguration.yaml@1.11.0")
        case .istiodServiceForRevisions:
            // install.go ~195 requiresIstiodServiceCreation/createIstiodService (#28880); 1.9.9 and 1.11.0 have neither.
            Row(from: "1.10.0", until: "1.11.0", source: "operator/cmd/mesh/install.go@1.10.0")
        case .defaultTagOnInstall:
            // install.go ~197 `if !exists || rev == ""` → revtag.Generate(Tag: default, Overwrite: true);
            // later helmreconciler.ProcessDefaultWebhook (1.20) and operator/pkg/webhook (1.24).
            Row(from: "1.12.0", source: "operator/cmd/mesh/install.go@1.12.0")
        case .installSaysMakingDefault:
            // install.go ~198 `cmd.Println("Making this installation the default for injection and validation.")`, to stderr.
            Row(from: "1.12.0", until: "1.19.0", source: "operator/cmd/mesh/install.go@1.12.0")
        case .installSaysMadeDefault:
            // install.go ~217 `p.Println("Made this installation the default for injection and validation.")` (p on stderr).
            Row(from: "1.19.0", until: "1.23.0", source: "operator/cmd/mesh/install.go@1.19.0")
        case .installSaysMadeDefaultClusterWide:
            // install.go ~213 "… the default for cluster-wide operations."; 1.24.0's install.go prints nothing.
            Row(from: "1.23.0", until: "1.24.0", source: "operator/cmd/mesh/install.go@1.23.0")
        case .defaultTagSkipsRevisionCollision:
            // generate.go ~80 `opts.Tag != DefaultRevisionName`; istioctl/cmd/tag.go@1.11.0:284 checks every tag.
            Row(from: "1.12.0", source: "istioctl/pkg/tag/generate.go@1.12.0")
        case .defaultTagRemovesBaseValidator:
            // generate.go ~113 DeleteDeprecatedValidator; 1.22.0's Generate no longer calls it.
            Row(from: "1.12.0", until: "1.22.0", source: "istioctl/pkg/tag/generate.go@1.12.0")
        case .injectorIgnoresNodeLeaseNamespaces:
            // initializer.go ~29 ignoredNamespaces adds KubeNodeLease and LocalPathStorage; 1.8.0 lists kube-system, kube-public.
            Row(from: "1.9.0", source: "pkg/kube/inject/initializer.go@1.9.0")
        case .uninstallChecksRevision:
            // uninstall.go `return errors.New("could not find target revision")`; 1.15.0 has no such check.
            Row(from: "1.16.0", source: "operator/cmd/mesh/uninstall.go@1.16.0")
        case .proxyTypeInVersionOutput:
            // version.go ~71 `ProxyInfo{ID, IstioVersion, Type NodeType}`; 1.18's istio/pkg ProxyInfo has no Type.
            Row(from: "1.19.0", source: "pkg/version/version.go@1.19.0")
        case .revisionInVersionOutput:
            // version.go ~46 `ServerInfo{Component, Revision, Info}`; 1.19.0's has no Revision.
            Row(from: "1.20.0", source: "pkg/version/version.go@1.20.0")
        case .enabledComponentsErrorPrefix:
            // install.go:125 "failed to get profile and enabled components: %v"; 1.8.0 has none, 1.9.0 says "profile, namespace or enabled components".
            Row(from: "1.8.1", until: "1.9.0", source: "operator/cmd/mesh/install.go@1.8.1")
        case .prunedObjectNamedByGroupVersionKind:
            // DeleteResource `"%v/%s.%s", obj.GroupVersionKind(), name, namespace`; to 1.23 helmreconciler/prune.go's
            // `LogAndPrintf("  Removed %s.", oh)` with the `Kind:namespace:name` hash.
            Row(from: "1.24.0", source: "operator/pkg/uninstall/prune.go@1.24.0")
        case .tagLooksUpRevisionServices:
            // checkControlPlaneExistenceOrDuplicate: GetServicesWithRevision; 1.27.0's Generate reads webhooks only.
            Row(from: "1.28.0", source: "istioctl/pkg/tag/generate.go@1.28.0")
        // MARK: istioctl's command surface
        case .installCommand:
            // ~114 `Use: "install"`; 1.5.0's root.go adds only the `manifest` group.
            Row(from: "1.6.0", source: "operator/cmd/mesh/manifest-apply.go@1.6.0")
        case .manifestApplyCommand:
            // manifest.go adds `apply` beside `generate`; 1.7.0's manifest group has no `apply`.
            Row(until: "1.7.0", source: "operator/cmd/mesh/manifest.go@1.6.0")
        case .analyzerPrecheck:
            // preCheck(): analyzer messages and "✔ No issues found …"; 1.6–1.9 print install/precheck.go's checklist.
            Row(from: "1.10.0", source: "istioctl/cmd/precheck.go@1.10.0")
        case .precheckSentenceStop:
            // ~102 `getting-started/.`; 1.23.0 has no full stop.
            Row(from: "1.24.0", source: "istioctl/pkg/precheck/precheck.go@1.24.0")
        case .cliContextFlagWording:
            // AddRootFlags; 1.18.0's root.go says "The name of the kubeconfig context to use" / "Config namespace".
            Row(from: "1.19.0", source: "istioctl/pkg/cli/option.go@1.19.0")
        case .impersonateFlags:
            // FlagImpersonate `as`, `as-uid`, `as-group`.
            Row(from: "1.24.0", source: "istioctl/pkg/cli/option.go@1.24.0")
        case .kubeTimeoutFlag:
            // FlagKubeTimeout `kubeclient-timeout`, default 15s.
            Row(from: "1.27.0", source: "istioctl/pkg/cli/option.go@1.27.0")
        case .completionCommand:
            // cobra v1.2.1 (InitDefaultCompletionCmd); 1.10.0 pins v1.1.3.
            Row(from: "1.11.0", source: "go.mod@1.11.0")
        case .capitalisedCompletionShort:
            // cobra v1.3.0 "Generate the autocompletion script…"; v1.2.1 "generate …".
            Row(from: "1.13.0", source: "go.mod@1.13.0")
        case .upgradeCommand:
            // `rootCmd.AddCommand(UpgradeCmd())`/`upgradeCmd := mesh.UpgradeCmd(ctx)` in every release to 1.30.
            Row(from: "1.5.0", source: "istioctl/cmd/root.go@1.30.0")
        case .installPromptAlways:
            // ~124 `if !rootArgs.dryRun && !iArgs.skipConfirmation`; 1.7.0 also requires no -f and no --set.
            Row(from: "1.8.0", source: "operator/cmd/mesh/install.go@1.8.0")
        case .installPromptNamesRelease:
            // `This will install the Istio %s %s profile with %q components into the cluster.`
            Row(from: "1.9.0", source: "operator/cmd/mesh/install.go@1.9.0")
        case .installPromptComponentsSentence:
            // `This will install the Istio %s %q profile (with components: %s) into the cluster.`, humanReadableJoin.
            Row(from: "1.19.0", source: "operator/cmd/mesh/install.go@1.19.0")
        case .installPromptProfileQuoted:
            // `This will install the Istio %s profile %q into the cluster.`
            Row(from: "1.24.0", source: "operator/cmd/mesh/install.go@1.24.0")
        case .installApplyAlias:
            // ~100 `Aliases: []string{"apply"}`; 1.8.0's install has none.
            Row(from: "1.9.0", source: "operator/cmd/mesh/install.go@1.9.0")
        case .typedProxyTargets:
            // `Use: "proxy-status [<type>/]<name>[.<namespace>]"`; 1.7.0 `[<pod-name[.namespace]>]`.
            Row(from: "1.8.0", source: "istioctl/cmd/proxystatus.go@1.8.0")
        case .proxyStatusNamespaceFilter:
            // `queryStr += "?namespace=" + ctx.Namespace()`; 1.18.0 asks `/debug/syncz` unfiltered.
            Row(from: "1.19.0", source: "istioctl/pkg/proxystatus/proxystatus.go@1.19.0")
        case .controlPlaneRevisionShorthand:
            // `StringVarP(&o.Revision, "revision", "r", …)`; 1.9.0 has no shorthand.
            Row(from: "1.10.0", source: "istioctl/pkg/clioptions/control_plane.go@1.10.0")
        case .capitalisedRevisionFlagHelp:
            // "Control plane revision"; 1.7.0 "control plane revision".
            Row(from: "1.8.0", source: "istioctl/pkg/clioptions/control_plane.go@1.8.0")
        case .analyzeFormattingPackage:
            // `fmt.Fprintln(cmd.OutOrStdout(), output)`, `failureThreshold … diag.Error`, url.ConfigAnalysis; 1.7.0: Warning, diag.DocPrefix.
            Row(from: "1.8.0", source: "istioctl/cmd/analyze.go@1.8.0")
        case .namespaceNotInjectedIsInfo:
            // IST0102 `level: Info`, template ending "injection."; 1.7.0: Warning, no full stop.
            Row(from: "1.8.0", source: "galley/pkg/config/analysis/msg/messages.yaml@1.8.0")
        case .slashedOriginNames:
            // FriendlyName `%s %s/%s`; 1.11.0 `%s %s.%s`.
            Row(from: "1.12.0", source: "galley/pkg/config/source/kube/rt/origin.go@1.12.0")
        case .podNameInMissingProxy:
            // IST0103 "The pod %s is missing the Istio proxy."; 1.13.0 has no %s.
            Row(from: "1.14.0", source: "pkg/config/analysis/msg/messages.yaml@1.14.0")
        case .proxyImageMismatchAnalyzer:
            // IST0105 until 1.17.x; 1.18.0's messages.yaml has no IST0105.
            Row(until: "1.18.0", source: "galley/pkg/config/analysis/analyzers/injection/injection-image.go@1.10.0")
        case .webhookAnalyzer:
            // IST0139 InvalidWebhook "Webhook overlaps with others: %v. This may cause injection to occur twice."
            Row(from: "1.10.0", source: "galley/pkg/config/analysis/analyzers/webhook/webhook.go@1.10.0")
        case .precheckShortCapitalised:
            // `Short: "Check whether Istio can safely be installed or upgrade"`; 1.16.0 "check …".
            Row(from: "1.17.0", source: "istioctl/cmd/precheck.go@1.17.0")
        case .precheckShortUpgraded:
            // `Short: "Check whether Istio can safely be installed or upgraded"`.
            Row(from: "1.19.0", source: "istioctl/pkg/precheck/precheck.go@1.19.0")
        case .upgradeVersionCheck:
            // coalesceVersions: "different versions of Istio components found"; 1.13.0's upgrade.go has none.
            Row(until: "1.13.0", source: "operator/cmd/mesh/upgrade.go@1.6.0")
        case .revisionDescribeCommand:
            // `revisionCmd.AddCommand(revisionDescribeCommand())`; 1.21.0 has no revision command at all.
            Row(from: "1.10.0", until: "1.21.0", source: "istioctl/cmd/revision.go@1.10.0")
        case .installVersionDiffWarning:
            // DetectIstioVersionDiff: "Istio control planes installed: …", "A newer installed version …"; 1.8.0 has none.
            Row(from: "1.9.0", until: "1.19.0", source: "operator/cmd/mesh/install.go@1.9.0")
        case .inPlaceUpgradeWarning:
            // detectIstioVersionDiff: "Istio is being upgraded from %s to %s." + "use revisions to upgrade alongside …".
            Row(from: "1.19.0", source: "operator/cmd/mesh/install.go@1.19.0")
        case .versionDiffPerRevision:
            // `if icp.Revision != revision { continue }`; 1.19.0 compares every istiod.
            Row(from: "1.20.0", source: "operator/cmd/mesh/install.go@1.20.0")
        case .camelCaseDocumentationURL:
            // Unstructured: `result["documentationUrl"]`; 1.9.0 `result["documentation_url"]`.
            Row(from: "1.10.0", source: "galley/pkg/config/analysis/diag/message.go@1.10.0")
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
