/// A rule of Istio's that changed from one release to another and that the emulator reproduces.
/// Code asks `version.has(.rule)` instead of comparing version numbers; which releases have each
/// rule, and where istio/istio shows it, is one row of `ReleaseTable` (explained in
/// `docs/istio-releases.md`). The version asked is the one in play: the revision's for what its
/// charts render and its injector does, the istioctl's for what the CLI accepts and prints.
package enum IstioBehavior: String, CaseIterable, Hashable, Sendable {
    // MARK: What an install renders (the revision's release)

    /// `istio.io/rev: <rev|default>` on the istio-discovery chart's objects: istiod's Deployment,
    /// pods and Service, the mesh and injector ConfigMaps, the injector webhook configuration and
    /// the telemetry EnvoyFilters.
    case revisionLabelOnControlPlane
    /// The operator stamps `istio.io/rev` on the Pilot component's objects only.
    case revisionLabelOnPilotComponent
    /// The operator stamps `istio.io/rev` on every component's objects, gateways included (so
    /// uninstalling a revision also removes the gateways it upgraded in place).
    case revisionLabelOnEveryComponent
    /// The separate `istio-pilot` Service beside `istiod` (whose Service then has only 15012 and 443).
    case istioPilotService
    /// istiod replaces pilot: no `istio-pilot` Service; the `istiod` Service carries the plaintext
    /// xDS (15010) and monitoring (15014) ports too.
    case istiodControlPlane
    /// The `dns` port (53/UDP → 15053) on istiod's Service.
    case istiodDNSPort
    /// The `dns-tls` port (853/TCP → 15053) on istiod's Service.
    case istiodDNSTLSPort
    /// `service.istio.io/canonical-name` / `canonical-revision` on the gateway pods.
    case canonicalLabelsOnGateways
    /// The per-release telemetry EnvoyFilters (`metadata-exchange-1.5`, `stats-filter-1.5`, …).
    case telemetryEnvoyFilters
    /// The default and demo profiles enable the prometheus addon (`addonComponents.prometheus`).
    case prometheusAddon
    /// `values.prometheus.enabled` switches prometheus on or off.
    case prometheusValuesSwitch

    // MARK: Injection (the injector's release)

    /// A revision's injector webhook requires the namespace to have no `istio-injection` label at
    /// all (`DoesNotExist`), rather than only not `disabled`.
    case injectionLabelOverridesRevision
    /// The injector configuration holds the `rev.namespace.`/`rev.object.` webhooks (plus
    /// `namespace.`/`object.` for the default): a pod's own `istio.io/rev` label selects a revision.
    case perPodRevisionWebhooks
    /// The webhook configuration is `admissionregistration.k8s.io/v1`, whose default timeout is 10 s
    /// (30 s under v1beta1).
    case admissionRegistrationV1
    /// The webhooks accept `AdmissionReview` v1 as well as v1beta1.
    case admissionReviewV1
    /// The injector labels the pods it injects `istio.io/rev: <rev|default>`.
    case revisionLabelOnPods
    /// The injector records the revision in the `sidecar.istio.io/status` annotation.
    case revisionInStatusAnnotation
    /// `security.istio.io/tlsMode` and the canonical-service labels on injected pods.
    case canonicalLabelsOnInjectedPods
    /// istiod's `injectRequired` reads a pod's `sidecar.istio.io/inject` label before its annotation.
    case injectionLabelOnPods
    /// `sidecar.istio.io/inject` takes only `true`/`false`; any other value falls back to the
    /// default policy (before: `y|yes|true|on` inject, any other value disables).
    case injectValueTrueOrFalse
    /// `tag set default` deactivates the old `istio-sidecar-injector` (never-match selectors).
    case defaultTag
    /// The proxy's Envoy talks xDS to `pilot-agent`'s local socket (`./etc/istio/proxy/XDS`),
    /// which forwards to istiod; before, Envoy dialled istiod's service itself.
    case xdsThroughAgent

    // MARK: What istioctl accepts and prints (the istioctl's release)

    /// `istioctl install -r/--revision`.
    case revisionFlag
    /// istioctl rejects a revision name that is not a DNS-1123 label before rendering anything.
    case revisionNameValidation
    /// `--revision` narrows `version`/`proxy-status` to pods labelled `istio.io/rev=<rev>`.
    case revisionSelectsControlPlane
    /// `istioctl version` leaves gateway pods out of the control plane.
    case versionSkipsGateways
    /// `istioctl version` asks only `app=istiod` pods.
    case versionAsksIstiodPods
    /// istioctl reads syncz from `app=istiod` pods (not `istio=pilot`) and knows the `istiod`
    /// component's binary.
    case istioctlAsksIstiod
    /// `proxy-status` heads the istiod column `ISTIOD` (not `PILOT`).
    case istiodColumnInProxyStatus
    /// `proxy-status` has a `CLUSTER` column.
    case clusterColumnInProxyStatus
    /// `proxy-status` has an `ECDS` column.
    case ecdsColumnInProxyStatus
    /// `proxy-config clusters` has a `DESTINATION RULE` column.
    case destinationRuleColumn
    /// istioctl's Envoy protos know `ClusterStatus.circuit_breakers`.
    case circuitBreakersInClusterStatus
    /// istioctl's Envoy protos know `ClusterStatus.observability_name`.
    case observabilityNameInClusterStatus
    /// istioctl's Envoy protos know `ClusterStatus.eds_service_name`.
    case edsServiceNameInClusterStatus

    // MARK: Which commands istioctl has (the istioctl's release)

    /// `istioctl x uninstall`.
    case experimentalUninstallCommand
    /// Top-level `istioctl uninstall`.
    case uninstallCommand
    /// `istioctl x revision`.
    case revisionCommand
    /// `istioctl x revision tag`.
    case experimentalTagCommand
    /// Top-level `istioctl tag`.
    case tagCommand
    /// `istioctl x check-inject`.
    case checkInjectCommand

    // MARK: What istiod and the proxies log
    /// istiod logs `ADS: new connection for node:ID` (before: `ADS:CDS: REQ ID version:` on the first CDS request).
    case adsNewConnectionLog
    /// istiod's connection IDs start with the proxy ID (`details-v1-x.default`), not the whole node ID.
    case connectionIDFromProxyID
    /// istiod's full-push line ends with ` Version:V`.
    case pushLogVersion
    /// istiod's full-push line no longer starts with the push's trigger (`XDS: Pushing Services:…`).
    case pushLogWithoutTrigger
    /// The agent proxies xDS and logs `connected to upstream XDS server: ADDRESS`.
    case agentXDSProxyLog
    /// Envoy's lines name the source location and thread (`envoy config FILE:LINE\tMSG\tthread=N`).
    case envoyLogLocation

    // MARK: Install objects, injection and CLI rules from 1.6 to 1.30

    /// The ingress gateway's status port is 15021 (1.5: 15020, beside 15029–15032 for the addons).
    case gatewayStatusPort15021
    /// istiod's chart renders its own `istio-validator[-<rev>]-<ns>` (`rev.validation.istio.io` →
    /// `istiod[-<rev>]`); Base no longer renders `istiod-<ns>` → `istiod`.
    case perRevisionValidator
    /// The per-revision validator also carries `validation.istio.io` for config without
    /// `istio.io/rev` (before the default tag's `istiod-default-validator` took it over).
    case defaultValidationInRevisionValidator
    /// `install --revision R` creates Service `istiod` (selecting every istiod) when none exists and
    /// the Base validator points at it.
    case istiodServiceForRevisions
    /// `install` makes itself the default tag (`istio-revision-tag-default`,
    /// `istiod-default-validator`, old injector deactivated) when it is the default revision or no
    /// injector existed before it.
    case defaultTagOnInstall
    /// install says `Making this installation the default for injection and validation.`
    case installSaysMakingDefault
    /// install says `Made this installation the default for injection and validation.`
    case installSaysMadeDefault
    /// install says `Made this installation the default for cluster-wide operations.`
    case installSaysMadeDefaultClusterWide
    /// `tag set default` skips the "found existing control plane revision with same name" check.
    case defaultTagSkipsRevisionCollision
    /// `tag set default` deletes the Base validators (`app=istiod`, name without `validator`).
    case defaultTagRemovesBaseValidator
    /// The injector also ignores `kube-node-lease` and `local-path-storage` (besides `kube-system`
    /// and `kube-public`).
    case injectorIgnoresNodeLeaseNamespaces
    /// `uninstall --revision R` fails with `could not find target revision` when R is not installed.
    case uninstallChecksRevision
    /// `version -o json|yaml` gives each proxy a `Type` (`sidecar`/`gateway`).
    case proxyTypeInVersionOutput
    /// `version -o json|yaml` gives each control-plane entry a `Revision`.
    case revisionInVersionOutput
    /// An IstioOperator that fails validation is reported as `failed to get profile and enabled
    /// components: …` (only the 1.8 patches from 1.8.1).
    case enabledComponentsErrorPrefix
    /// uninstall names each removed object `  Removed apps/v1, Kind=Deployment/NAME.NS.` (before:
    /// `  Removed Deployment:NS:NAME.`).
    case prunedObjectNamedByGroupVersionKind
    /// `tag set` looks for the revision's Service as well as its injector (`cannot find
    /// MutatingWebhookConfiguration or Service with revision`).
    case tagLooksUpRevisionServices
    // MARK: istioctl's command surface (the istioctl's release)
    /// Top-level `istioctl install` (1.5 has only `manifest apply`).
    case installCommand
    /// `istioctl manifest apply`.
    case manifestApplyCommand
    /// `istioctl x precheck` reports analyzer messages (before: the install-readiness checklist).
    case analyzerPrecheck
    /// precheck's success line ends `getting-started/.` (a full stop).
    case precheckSentenceStop
    /// The global `--context`/`--namespace` flags read "Kubernetes configuration context" / "Kubernetes namespace".
    case cliContextFlagWording
    /// The global `--as`, `--as-uid`, `--as-group` flags.
    case impersonateFlags
    /// The global `--kubeclient-timeout` flag.
    case kubeTimeoutFlag
    /// cobra adds a `completion` command to the root.
    case completionCommand
    /// cobra's `completion` Short starts with a capital.
    case capitalisedCompletionShort
    /// `istioctl upgrade` exists at the top level.
    case upgradeCommand
    /// `install` asks for confirmation whenever `-y` is missing (before: only without `-f`/`--set`).
    case installPromptAlways
    /// The install prompt names the release, profile and components (`with ["Istio core" …] components`).
    case installPromptNamesRelease
    /// The install prompt lists components in words (`(with components: Istio core, Istiod, and Ingress gateways)`).
    case installPromptComponentsSentence
    /// The install prompt reads `the Istio 1.24.0 profile "default"` (no components).
    case installPromptProfileQuoted
    /// `istioctl apply` is an alias of `install`.
    case installApplyAlias
    /// `proxy-status` takes `[<type>/]<name>[.<namespace>]` (a Deployment picks its first pod).
    case typedProxyTargets
    /// `proxy-status -n NS` asks istiod's syncz for that namespace's proxies only.
    case proxyStatusNamespaceFilter
    /// The control-plane `--revision` flag has the `-r` shorthand.
    case controlPlaneRevisionShorthand
    /// The control-plane `--revision` flag's help reads "Control plane revision".
    case capitalisedRevisionFlagHelp
    /// `analyze` prints through `formatting.Print` (an empty line when nothing is found), fails only on
    /// errors by default, and links the release's own docs.
    case analyzeFormattingPackage
    /// IST0102 NamespaceNotInjected is an Info (was a Warning) and its text ends with a full stop.
    case namespaceNotInjectedIsInfo
    /// Analyzer origins read `Pod namespace/name` (before: `Pod name.namespace`).
    case slashedOriginNames
    /// IST0103 names the pod (`The pod ns/name is missing the Istio proxy.`).
    case podNameInMissingProxy
    /// The IST0105 IstioProxyImageMismatch analyzer.
    case proxyImageMismatchAnalyzer
    /// The IST0139 webhook analyzer (overlapping injector webhooks).
    case webhookAnalyzer
    /// `x precheck`'s Short starts with a capital.
    case precheckShortCapitalised
    /// `x precheck`'s Short ends "installed or upgraded".
    case precheckShortUpgraded
    /// `upgrade` refuses while control-plane pods run different versions (before it became `install`'s alias).
    case upgradeVersionCheck
    /// `istioctl x revision describe`.
    case revisionDescribeCommand
    /// `install` warns that control planes of another version are installed (`DetectIstioVersionDiff`).
    case installVersionDiffWarning
    /// `install` warns `Istio is being upgraded from A to B.` and points at `istioctl x precheck`.
    case inPlaceUpgradeWarning
    /// …counting only the istiods of the revision being installed.
    case versionDiffPerRevision
    /// Analyzer messages in JSON name their link `documentationUrl` (before: `documentation_url`).
    case camelCaseDocumentationURL
    // MARK: What proxy-config prints of listeners and routes (istioctl's release)

    /// `proxy-config listeners` prints a row per filter chain (`MATCH`, `DESTINATION`), `--verbose` by default.
    case listenerMatchColumns
    /// Its first column is `ADDRESSES` (a listener's additional addresses join its address).
    case listenerAddressesColumn
    /// `proxy-config routes` prints a row per route (`DOMAINS`, `MATCH`, `VIRTUAL SERVICE`), `--verbose` by default.
    case routeMatchColumns
    /// Its rows name the virtual host (`VHOST NAME`).
    case routeVirtualHostColumn
}
