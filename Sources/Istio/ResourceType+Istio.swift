import JSON
import Kubernetes
/// The Istio custom resources the emulator's own code reads and writes. Both are served while a
/// CRD defines them (an install creates its Base chart's CRDs, `IstioCRD`). EnvoyFilters are what
/// an install creates that Istio's validating webhook checks (so a dead default istiod fails a
/// later install, as in the seed); IstioOperator is the `installed-state[-<rev>]` record
/// `istioctl install` leaves behind, compiled in because the 1.30 Base chart has no CRD for it.
extension ResourceType {
    package static let envoyFilters = ResourceType(
        group: "networking.istio.io", version: "v1alpha3", plural: "envoyfilters", singular: "envoyfilter",
        kind: "EnvoyFilter", namespaced: true)
    package static let istioOperators = ResourceType(
        group: "install.istio.io", version: "v1alpha1", plural: "istiooperators", singular: "istiooperator",
        kind: "IstioOperator", namespaced: true, shortNames: ["iop", "io"])
}

extension ResourceCatalog {
    /// What an API server with Istio's custom resources serves.
    package static let istio = ResourceCatalog(adding: [.istioOperators])
}
