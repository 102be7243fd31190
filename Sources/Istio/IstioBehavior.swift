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
