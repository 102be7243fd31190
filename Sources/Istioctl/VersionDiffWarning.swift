import Istio

/// The warning `install` prints (on stderr, before its prompt) when the running istiods are of
/// another release than this istioctl: 1.9–1.18's `DetectIstioVersionDiff`
/// (`operator/cmd/mesh/install.go@1.9.0`) and 1.19+'s `detectIstioVersionDiff`
/// (`install.go@1.19.0`; from 1.20 only the istiods of the revision being installed count,
/// `install.go@1.20.0`). Versions compare as strings, as Go's `<` on them does (so `1.5.4` is later
/// than `1.10.0`). Without a terminal, `WARNING:` carries no colour.
struct VersionDiffWarning {
    var version: IstioVersion

    /// One running istiod: its image tag and its `istio.io/rev` label ("" when it has none).
    struct Istiod {
        var tag: String
        var revision: String
    }

    /// The text to print (possibly without a final newline, as 1.9's downgrade line is), or nil.
    func text(istiods: [Istiod], setRevision: String?, installRevision: String) -> String? {
        let tag = version.description
        if version.has(.inPlaceUpgradeWarning) {
            let revision = installRevision.isEmpty ? "default" : installRevision
            let counted = version.has(.versionDiffPerRevision) ? istiods.filter { $0.revision == revision } : istiods
            guard let current = counted.map(\.tag).filter({ !$0.isEmpty }).sorted().last, current != tag else { return nil }
            let overwrite = revision == "default"
                ? "         Running this command will overwrite it; use revisions to upgrade alongside the existing version.\n" : ""
            let direction = current < tag ? "upgraded" : "downgraded"
            return "WARNING: Istio is being \(direction) from \(current) to \(tag).\n" + overwrite
                + "         Before upgrading, you may wish to use 'istioctl x precheck' to check for upgrade warnings.\n"
        }
        guard version.has(.installVersionDiffWarning), !istiods.isEmpty else { return nil }
        let tags = istiods.map(\.tag).sorted()
        let current = tags.filter { !$0.isEmpty }.last ?? ""
        var out = ""
        if (setRevision ?? "").isEmpty, tag != current {
            out += "WARNING: Istio control planes installed: \(tags.joined(separator: ", ")).\n"
            out += "WARNING: \(current < tag ? "A newer" : "An older") installed version of Istio has been detected. Running this command will overwrite it.\n"
        }
        if !current.isEmpty, tag != current, let setRevision, !setRevision.isEmpty {
            // The source's comparison and wording, kept as they are (`>` for "upgraded", no space before IST0002).
            out += current > tag
                ? "WARNING: Istio is being upgraded from \(current) -> \(tag).\nWARNING: Before upgrading, you may wish to use 'istioctl analyze' to check forIST0002 and IST0135 deprecation warnings.\n"
                : "WARNING: Istio is being downgraded from \(current) -> \(tag)."
        }
        return out.isEmpty ? nil : out
    }

    /// The Running `app=istiod` pods of the namespace (`GetIstioVersions`).
    static func istiods(_ client: KubeClient, namespace: String) async throws -> [Istiod] {
        try await client.list(.pods, namespace: namespace, labelSelector: "app=istiod")
            .filter { $0.status["phase"]?.stringValue == "Running" && !$0.isTerminating }
            .map { pod in
                let containers = pod.spec["containers"]?.arrayValue ?? []
                let image = (containers.first { $0["name"]?.stringValue == "discovery" } ?? containers.first)?["image"]?.stringValue ?? ""
                return Istiod(tag: UpgradeCommand.imageTag(image), revision: pod.labels["istio.io/rev"] ?? "")
            }
    }
}
