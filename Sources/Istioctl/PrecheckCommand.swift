import JSON
import Istio

/// `istioctl x precheck`, 1.10+ (`istioctl/cmd/precheck.go@1.10.0`,
/// `istioctl/pkg/precheck/precheck.go@1.20.0`/`@1.30.0`): analyzer-style messages about whether
/// Istio can be installed or upgraded. The emulated cluster answers the checks that can fail on it:
/// the Kubernetes version against the release's minimum (IST0142). Its one user may do
/// everything, so the permission checks never report; its proxies bind no application ports, so
/// the listener checks (`-n`) have nothing to report either.
struct PrecheckCommand {
    var skipControlPlane: Bool
    var namespace: String

    /// `MinK8SVersion` (`istioctl/pkg/install/k8sversion/version.go@1.N.0`), by Istio minor.
    static let minimumKubernetesMinor: [Int: Int] = [
        10: 17, 11: 17, 12: 17, 13: 19, 14: 19, 15: 19, 16: 19, 17: 23, 18: 23, 19: 25, 20: 25, 21: 26, 22: 26,
        23: 26, 24: 28, 25: 28, 26: 29, 27: 29, 28: 29, 29: 30, 30: 32,
    ]

    static func command(_ version: IstioVersion) -> CobraCommand {
        CobraCommand(
            "precheck",
            short: (version.has(.precheckShortCapitalised) ? "Check" : "check") + " whether Istio can safely be installed or "
                + (version.has(.precheckShortUpgraded) ? "upgraded" : "upgrade"),
            long: "precheck inspects a Kubernetes cluster for Istio install and upgrade requirements.",
            example: "  # Verify that Istio can be installed or upgraded\n  istioctl x precheck\n\n  # Check only a single namespace\n  istioctl x precheck --namespace default",
            persistentFlags: [.bool("skip-controlplane", "skip checking the control plane"), ControlPlaneFlag.revision(version)],
            run: { invocation in
                try await PrecheckCommand(
                    skipControlPlane: invocation.flags.bool("skip-controlplane"), namespace: invocation.flags.namespaceOrDefault
                ).run()
            })
    }

    func run() async throws {
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        var messages: [AnalysisMessage] = []
        if !skipControlPlane {
            let gitVersion = try await client.version(timeout: 10)["gitVersion"]?.stringValue ?? ""
            if let m = Self.kubernetesVersionMessage(gitVersion: gitVersion, istio: env.version) { messages.append(m) }
        }
        let output = AnalysisMessage.sorted(messages)
        if output.isEmpty {
            let stop = env.version.has(.precheckSentenceStop) ? "." : ""
            Console.err(
                "✔ No issues found when checking the cluster. Istio is safe to install or upgrade!\n  To get started, check out https://istio.io/latest/docs/setup/getting-started/\(stop)")
            return
        }
        Console.out(output.map { $0.rendered(env.version) }.joined(separator: "\n"))
        if output.contains(where: { $0.level <= .warning }) {
            throw IstioctlFailure(
                "Issues found when checking the cluster. Istio may not be safe to install or upgrade.\nSee https://istio.io/v\(env.version.minorString)/docs/reference/config/analysis for more information about causes and resolutions.")
        }
    }

    /// IST0142 UnsupportedKubernetesVersion when the server's minor is below the release's minimum.
    static func kubernetesVersionMessage(gitVersion: String, istio: IstioVersion) -> AnalysisMessage? {
        let parts = gitVersion.drop { $0 == "v" }.split(separator: ".")
        guard parts.count >= 2, let minor = Int(parts[1].prefix { $0.isNumber }),
            let minimum = minimumKubernetesMinor[istio.minor]
        else { return nil }
        guard minor < minimum else { return nil }
        return AnalysisMessage(
            level: .error, code: "IST0142", kind: "Cluster", namespace: "", name: "",
            text: "The Kubernetes Version \(gitVersion.goQuoted) is lower than the minimum version: 1.\(minimum)")
    }
}
