import JSON
import Kubernetes
/// What `istioctl tag set|generate` does to a cluster, as the istioctl of a release decides it
/// (`istioctl/cmd/tag.go@1.10.0`, `istioctl/pkg/tag/generate.go@1.12.0 … @1.30.0`): the checks,
/// the tag's MutatingWebhookConfiguration and, for the `default` tag from 1.12, the deactivated
/// old injector, the removed Base validator and `istiod-default-validator`. Pure: it reads the
/// webhook configurations it is given and says what to write; the CLI and the installer apply it.
package struct RevisionTag: Hashable, Sendable {
    package static let defaultName = "default"

    /// Objects to create or replace, in order.
    package var apply: [KubeObject] = []
    /// Existing objects changed in place (the deactivated default injector).
    package var update: [KubeObject] = []
    package var delete: [KubeObject] = []

    package struct Refusal: Error, Hashable, Sendable {
        package var message: String
        package init(message: String) { self.message = message }
    }

    /// The injector configurations of control-plane revision `revision` (not tags):
    /// `istio.io/rev=<revision>,!istio.io/tag` (`GetWebhooksWithRevision`).
    package static func revisionInjectors(_ revision: String, in mutating: [KubeObject]) -> [KubeObject] {
        mutating.filter { $0.labels["istio.io/rev"] == revision && $0.labels["istio.io/tag"] == nil }
    }

    package static func tagInjectors(_ tag: String, in mutating: [KubeObject]) -> [KubeObject] {
        mutating.filter { $0.labels["istio.io/tag"] == tag }
    }

    /// Plans `tag set <tag> --revision <revision>` (`generate`: `tag generate`, which skips the
    /// collision checks and changes nothing else).
    package static func plan(
        tag: String, revision: String, overwrite: Bool, generate: Bool = false, istioctl: IstioVersion,
        mutating: [KubeObject], validating: [KubeObject], namespace: String = "istio-system"
    ) -> Result<RevisionTag, Refusal> {
        let skipsCollision = tag == defaultName && istioctl.has(.defaultTagSkipsRevisionCollision)
        if !generate, !overwrite, !skipsCollision, !revisionInjectors(tag, in: mutating).isEmpty {
            return .failure(Refusal(message: "cannot create revision tag \"\(tag)\": found existing control plane revision with same name"))
        }
        let canonical = revisionInjectors(revision, in: mutating)
        guard let injector = canonical.first else {
            let what = istioctl.has(.tagLooksUpRevisionServices) ? "MutatingWebhookConfiguration or Service" : "MutatingWebhookConfiguration"
            return .failure(Refusal(message: "cannot modify tag: cannot find \(what) with revision \"\(revision)\""))
        }
        guard canonical.count == 1 else {
            return .failure(Refusal(message: "cannot modify tag: found multiple canonical webhooks with revision \"\(revision)\""))
        }
        if !overwrite, !tagInjectors(tag, in: mutating).isEmpty {
            return .failure(Refusal(message: "revision tag \"\(tag)\" already exists, and --overwrite is false"))
        }
        // The tag keeps the revision's labels but `app` (`tagWebhookConfigFromCanonicalWebhook`),
        // so its release and owner stay readable and uninstalling the revision prunes it.
        var labels = injector.labels
        labels["app"] = nil
        let version = injector.labels["operator.istio.io/version"].flatMap(IstioVersion.init) ?? istioctl
        var result = RevisionTag()
        var configuration = IstioManifest.tagConfiguration(tag: tag, revision: revision, version: version, namespace: namespace)
        configuration.metadata.labels = labels.merging(configuration.labels) { _, template in template }
        configuration.metadata.labels["operator.istio.io/component"] = "Pilot"
        result.apply.append(configuration)
        guard tag == defaultName, istioctl.has(.defaultTag) else { return .success(result) }
        if !generate {
            let defaults = revisionInjectors(defaultName, in: mutating)
            guard defaults.count <= 1 else { return .failure(Refusal(message: "failed deactivating existing default revision: expected a single webhook for default revision")) }
            result.update = defaults.map(IstioManifest.deactivated)
            if istioctl.has(.defaultTagRemovesBaseValidator) {
                result.delete = validating.filter { $0.labels["app"] == "istiod" && !$0.name.contains("validator") }
            }
        }
        // A validator istiod had already closed stays closed (`fixWhConfig`).
        let previous = validating.first { $0.name == "istiod-default-validator" }
        let closed = previous?.body["webhooks"]?.arrayValue?.contains { $0["failurePolicy"] == "Fail" } ?? false
        result.apply.append(
            IstioManifest.defaultValidator(revision: revision, labels: labels, namespace: namespace, failurePolicy: closed ? "Fail" : "Ignore"))
        return .success(result)
    }

    /// Whether an install makes itself the default (1.12+): it is the default revision, or no
    /// injector (`app=sidecar-injector`) existed before it (`PreviousInstallExists`,
    /// `istioctl/pkg/tag/util.go@1.20.0`; `operator/cmd/mesh/install.go@1.12.0` ~197).
    package static func installBecomesDefault(_ spec: IstioInstallSpec, injectorsBefore: [KubeObject]) -> Bool {
        guard spec.version.has(.defaultTagOnInstall), spec.profile != "empty", spec.profile != "remote" else { return false }
        return spec.revision.isEmpty || !injectorsBefore.contains { $0.labels["app"] == "sidecar-injector" }
    }

    /// The line install prints when it made itself the default (on stderr), per release.
    package static func installMessage(_ version: IstioVersion) -> String? {
        if version.has(.installSaysMakingDefault) { return "Making this installation the default for injection and validation." }
        if version.has(.installSaysMadeDefault) { return "Made this installation the default for injection and validation." }
        if version.has(.installSaysMadeDefaultClusterWide) { return "Made this installation the default for cluster-wide operations." }
        return nil
    }

    /// What `tag set` prints (`tagCreatedStr`, `istioctl/pkg/tag/tag.go@1.30.0`).
    package static func createdMessage(tag: String, revision: String) -> String {
        "Revision tag \"\(tag)\" created, referencing control plane revision \"\(revision)\". To enable injection using this\nrevision tag, use 'kubectl label namespace <NAMESPACE> istio.io/rev=\(tag)'"
    }
}
