import JSON
import Kubernetes
/// What one `istioctl install` asks for, read from an IstioOperator `spec` (after `--set`s are
/// merged in): the revision, the profile and the components and values the emulator renders.
/// Pure: parsing YAML is the CLI's job; this reads the resulting JSON.
package struct IstioInstallSpec: Hashable, Sendable {
    /// The Istio release being installed (the istioctl's own version).
    package var version: IstioVersion
    /// Empty for the default (non-revisioned) control plane.
    package var revision: String
    package var profile: String
    package var namespace: String
    package var hub: String
    package var ingressGateway: Bool
    package var egressGateway: Bool
    /// The 1.6 `addonComponents.prometheus` (the default profile enables it; gone after 1.7).
    package var prometheusAddon: Bool
    /// `values.telemetry.v2.prometheus.enabled`: the stats EnvoyFilters.
    package var prometheusTelemetry: Bool
    /// `values.telemetry.v2.stackdriver.enabled`: the stackdriver EnvoyFilter (GKE installs, as in the seed).
    package var stackdriverTelemetry: Bool

    /// The profiles the emulator knows, as `istioctl profile list` names them.
    package static let profiles = ["default", "demo", "minimal", "empty", "preview", "remote"]

    package init(
        version: IstioVersion, revision: String = "", profile: String = "default", namespace: String = "istio-system",
        hub: String = "docker.io/istio"
    ) {
        self.version = version
        self.revision = revision
        self.profile = profile
        self.namespace = namespace
        self.hub = hub
        let gateways = profile != "minimal" && profile != "empty" && profile != "remote"
        ingressGateway = gateways
        egressGateway = profile == "demo"
        // Addons were part of profiles in 1.6 and 1.7 only (1.5 used values.prometheus; 1.8 dropped them).
        prometheusAddon = (profile == "default" || profile == "demo") && version.has(.prometheusAddon)
        prometheusTelemetry = true
        stackdriverTelemetry = false
    }

    /// Reads an IstioOperator `spec` (profile first, then the fields that override it).
    package init(operatorSpec spec: JSONValue, version: IstioVersion) throws(WorldError) {
        let profile = spec["profile"]?.stringValue ?? "default"
        guard Self.profiles.contains(profile) else {
            throw .badRequest("could not read profile \(profile): profile does not exist")
        }
        self.init(version: version, revision: spec["revision"]?.stringValue ?? "", profile: profile)
        if let ns = spec[path: ["values", "global", "istioNamespace"]]?.stringValue { namespace = ns }
        if let hub = spec["hub"]?.stringValue { self.hub = hub }
        if let enabled = Self.componentEnabled(spec, "ingressGateways") { ingressGateway = enabled }
        if let enabled = Self.componentEnabled(spec, "egressGateways") { egressGateway = enabled }
        if let enabled = spec[path: ["addonComponents", "prometheus", "enabled"]]?.flag { prometheusAddon = enabled }
        if let enabled = spec[path: ["values", "prometheus", "enabled"]]?.flag, version.has(.prometheusValuesSwitch) { prometheusAddon = enabled }
        if let enabled = spec[path: ["values", "telemetry", "v2", "prometheus", "enabled"]]?.flag { prometheusTelemetry = enabled }
        if let enabled = spec[path: ["values", "telemetry", "v2", "stackdriver", "enabled"]]?.flag { stackdriverTelemetry = enabled }
    }

    /// `components.<name>` is a list of gateways in IstioOperator; the first one decides.
    static func componentEnabled(_ spec: JSONValue, _ name: String) -> Bool? {
        let component = spec[path: ["components", name]]
        if let first = component?.arrayValue?.first { return first["enabled"]?.flag }
        return component?["enabled"]?.flag
    }

    /// `-<revision>`, or nothing for the default revision: how revisioned object names end.
    package var suffix: String { revision.isEmpty ? "" : "-\(revision)" }
    /// The value of `istio.io/rev` on what this revision owns.
    package var revisionLabel: String { revision.isEmpty ? "default" : revision }
    package var istiodName: String { "istiod\(suffix)" }
    /// `istiod-canary.istio-system.svc`: the host proxies reach this revision's xDS server at.
    package var discoveryHost: String { "\(istiodName).\(namespace).svc" }
    package var discoveryAddress: String { "\(discoveryHost):15012" }
    /// `installed-state-canary`: the IstioOperator record the CLI writes after installing.
    package var installedStateName: String { "installed-state\(suffix)" }
}

extension JSONValue {
    /// A YAML/`--set` boolean: `true`, or the strings `true`/`false`.
    var flag: Bool? {
        if let b = boolValue { return b }
        switch stringValue?.lowercased() {
        case "true": return true
        case "false": return false
        default: return nil
        }
    }
}
