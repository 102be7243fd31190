import TestKit

/// The IstioOperator files the tests install with, as the seed's and the blog post's readers
/// wrote them: profile default with the prometheus add-on off; for an install that names its
/// revision in the file (the seed's), that revision and the seed's telemetry values too.
enum OperatorConfig {
    static func yaml(revision: String? = nil) -> String {
        var lines = ["apiVersion: install.istio.io/v1alpha1", "kind: IstioOperator", "spec:", "  profile: default", ""]
        if let revision { lines += ["  revision: \"\(revision)\"", ""] }
        lines += ["  addonComponents:", "    prometheus:", "      enabled: false", ""]
        if revision != nil {
            lines += [
                "  values:", "    telemetry:", "      v2:", "        prometheus:", "          enabled: false",
                "        stackdriver:", "          enabled: true", "",
            ]
        }
        return lines.joined(separator: "\n")
    }

    /// Writes `yaml(revision:)` into the harness's directory; returns its path.
    static func write(in h: KubectlHarness, revision: String? = nil) throws -> String {
        let path = "\(h.directory)/" + (revision.map { "config-\($0).yaml" } ?? "config.yaml")
        try yaml(revision: revision).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
