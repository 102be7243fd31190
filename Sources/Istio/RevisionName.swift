import JSON
import Kubernetes
/// Which revision names an istioctl accepts, and how it fails on the others
/// (docs/istio-facts.md §5). Istio 1.5–1.8 had no check: a name with a dot broke the operator's overlay
/// path parser (`[Deployment:istiod-v1.6.0].spec.strategy` split on `.`), which `install` reports
/// only as "errors occurred during operation". From 1.9 istioctl rejects such names up front.
package enum RevisionNameCheck: Hashable, Sendable {
    case valid
    /// 1.9+: `Error: invalid revision specified: <name>` before anything is applied.
    case rejected(message: String)
    /// 1.5–1.8: the manifest cannot be rendered; `detail` names the object whose overlay path broke.
    case failsWhileRendering(detail: String)
}

package enum RevisionName {
    /// Checks `name` (empty: the default revision) the way `istioctl` of `version` does.
    package static func check(_ name: String, istioctl version: IstioVersion) -> RevisionNameCheck {
        if name.isEmpty { return .valid }
        if version.has(.revisionNameValidation) {
            // Istio's labels.IsDNS1123Label: `^[a-zA-Z0-9](?:[-a-zA-Z0-9]*[a-zA-Z0-9])?$`, at most 63.
            return isIstioDNS1123Label(name) ? .valid : .rejected(message: "invalid revision specified: \(name)")
        }
        if let dot = name.firstIndex(of: ".") {
            // translate.go splits `[Deployment:istiod-<rev>].spec.strategy` on every dot.
            let deployment = "istiod-\(name)"
            let firstElement = "[Deployment:istiod-\(name[..<dot])"
            return .failsWhileRendering(
                detail: "path [Deployment:\(deployment)].spec.strategy has an unexpected first element \(firstElement) in OverlayK8sSettings")
        }
        return .valid
    }

    static func isIstioDNS1123Label(_ s: String) -> Bool {
        let alnum: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard !s.isEmpty, s.count <= 63, let f = s.first, let l = s.last, alnum(f), alnum(l) else { return false }
        return s.allSatisfy { alnum($0) || $0 == "-" }
    }
}
