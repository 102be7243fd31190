import JSON
import Kubernetes

/// One Istio control plane recognised in a cluster dump from its istiod Deployment: the release
/// it runs (read from the image tag, as `docker.io/istio/pilot:1.20.3` → 1.20.3) and the revision
/// it serves (its `istio.io/rev` label). The import re-creates it as an install of that release,
/// so everything Istio renders is the emulator's own for that release, not a copy of the dump.
package struct ImportedRevision: Hashable, Sendable {
    /// `default` for the non-revisioned control plane.
    package var revision: String
    package var version: IstioVersion
    /// The registry path the images come from (`docker.io/istio`, `gcr.io/istio-release`).
    package var hub: String
    /// The istiod Deployment it was read from.
    package var deployment: String
    package var namespace: String

    /// The Istio releases the emulator renders: every rule in `ReleaseTable` is a range of these,
    /// so a release inside it is emulated as itself; one outside is refused.
    package static let oldestRelease = IstioVersion(1, 5, 0)
    /// Releases before this are emulated; `1.31.0` and later are not.
    package static let firstUnsupportedRelease = IstioVersion(1, 31, 0)
    /// How error lines name the range.
    package static let supportedRange = "1.5 to 1.30"

    package static func isSupported(_ version: IstioVersion) -> Bool {
        version >= oldestRelease && version < firstUnsupportedRelease
    }

    /// The release an Istio image runs: the tag's leading `MAJOR.MINOR[.PATCH]`, so a variant
    /// (`1.20.3-distroless`, `1.20.3-debug`) or a pre-release (`1.21.0-beta.1`) counts as its
    /// release. nil when the image has no tag (a digest only) or the tag is not a release.
    /// The chart writes `{hub}/pilot:{tag}{-variant}`
    /// (`manifests/charts/istio-control/istio-discovery/templates/deployment.yaml@1.20.3`).
    package static func release(ofImage image: String) -> IstioVersion? {
        let withoutDigest = image.split(separator: "@", maxSplits: 1).first.map(String.init) ?? image
        let lastPart = withoutDigest.split(separator: "/").last.map(String.init) ?? withoutDigest
        guard let colon = lastPart.firstIndex(of: ":") else { return nil }
        let tag = lastPart[lastPart.index(after: colon)...]
        let release = tag.prefix { $0.isNumber || $0 == "." }
        guard !release.isEmpty, release.last != ".", release.first != "." else { return nil }
        guard release.count == tag.count || tag[release.endIndex] == "-" else { return nil }
        return IstioVersion(String(release))
    }

    /// `docker.io/istio/pilot:1.5.4` → `docker.io/istio`; nil for an image without a registry path.
    package static func hub(ofImage image: String) -> String? {
        guard let slash = image.lastIndex(of: "/") else { return nil }
        return String(image[..<slash])
    }

    /// The revision an istiod serves: its `istio.io/rev` label (1.6+ charts write it, `default`
    /// for the non-revisioned one); 1.5's charts label a revision `version: REV` instead and name
    /// the Deployment `istiod-REV` (`manifests/istio-control/istio-discovery/templates/deployment.yaml@1.5.4`),
    /// so without the label the name decides; `default` when neither says otherwise.
    package static func revision(labels: [String: String], deploymentName: String) -> String {
        if let label = labels["istio.io/rev"], !label.isEmpty { return label }
        return InjectorWebhook.revision(ofService: deploymentName)
    }

    /// Whether a Deployment is an istiod: `app: istiod`, as every release's chart labels it.
    package static func isIstiod(_ deployment: KubeObject) -> Bool {
        deployment.resource == .deployments && deployment.labels["app"] == "istiod"
    }

    /// The image of istiod's `discovery` container (the first container if none is so named).
    static func image(of deployment: KubeObject) -> String {
        let containers = deployment.spec[path: ["template", "spec", "containers"]]?.arrayValue ?? []
        let discovery = containers.first { $0["name"] == "discovery" } ?? containers.first
        return discovery?["image"]?.stringValue ?? ""
    }

    /// Recognises an istiod Deployment. Its release comes from the image tag, or, for an image
    /// pinned by digest, from the operator's `operator.istio.io/version` label; a release the
    /// emulator does not render is refused, as is an istiod whose release cannot be told.
    package static func recognise(_ deployment: KubeObject) throws(MeshImportError) -> ImportedRevision {
        let image = image(of: deployment)
        let where_ = "istiod Deployment \(deployment.namespace)/\(deployment.name)"
        guard
            let version = release(ofImage: image)
                ?? deployment.labels["operator.istio.io/version"].flatMap(IstioVersion.init)
        else {
            throw MeshImportError("\(where_) runs image \"\(image)\", whose tag names no Istio release (expected e.g. docker.io/istio/pilot:1.20.3)")
        }
        guard isSupported(version) else {
            throw MeshImportError("\(where_) runs Istio \(version) (image \"\(image)\"); the emulator renders Istio \(supportedRange) only")
        }
        return ImportedRevision(
            revision: revision(labels: deployment.labels, deploymentName: deployment.name), version: version,
            hub: hub(ofImage: image) ?? "docker.io/istio", deployment: deployment.name, namespace: deployment.namespace)
    }

    /// The install that re-creates this control plane: the default profile's components, with the
    /// gateways and addons the dump shows this revision owning.
    package func installSpec(ingressGateway: Bool, egressGateway: Bool, prometheusAddon: Bool) -> IstioInstallSpec {
        var spec = IstioInstallSpec(version: version, revision: revision == "default" ? "" : revision, namespace: namespace, hub: hub)
        spec.ingressGateway = ingressGateway
        spec.egressGateway = egressGateway
        spec.prometheusAddon = prometheusAddon
        return spec
    }
}
