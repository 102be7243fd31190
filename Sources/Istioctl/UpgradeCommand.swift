import Istio

/// `istioctl upgrade`: an in-place upgrade of the control plane to this istioctl's release.
/// Through 1.12 it first reads every Running `istio`-labelled pod's version and refuses when they
/// differ — two control planes of different versions, the state a canary upgrade leaves — unless
/// `--force` (`operator/cmd/mesh/upgrade.go@1.6.0`, retrieveControlPlaneVersion/coalesceVersions);
/// from 1.13 it is the install command under another name (`upgrade.go@1.20.0`). The install
/// itself is `InstallCommand`'s.
struct UpgradeCommand {
    var install: InstallCommand

    static func command(_ version: IstioVersion) -> CobraCommand {
        var command = InstallCommand.command(version, use: "upgrade")
        command.short = "Upgrade Istio control plane in-place"
        command.long = version.has(.upgradeVersionCheck)
            ? "The upgrade command checks for upgrade version eligibility and, if eligible, upgrades the Istio control plane components in-place. Warning: traffic may be disrupted during upgrade. Please ensure PodDisruptionBudgets are defined to maintain service continuity."
            : "The upgrade command is an alias for the install command that performs additional upgrade-related checks."
        command.run = { invocation in try await UpgradeCommand(install: InstallCommand(invocation)).run() }
        return command
    }

    func run() async throws {
        let env = IstioctlEnvironment.current
        guard env.version.has(.upgradeVersionCheck) else {
            try await install.run()
            return
        }
        let client = try await KubeconfigLocator.connect(env)
        let pods = try await client.list(.pods, namespace: "istio-system", labelSelector: "istio")
            .filter { $0.status["phase"]?.stringValue == "Running" }.sorted { $0.name < $1.name }
        guard !pods.isEmpty else {
            if install.force { return try await upgradeAnyway(from: "") }
            throw IstioctlFailure("failed to read the current Istio version, error: failed to retrieve Istio control plane version, error: istio pod not found in namespace istio-system")
        }
        let components = pods.map { pod -> String in
            let images = (pod.spec["containers"]?.arrayValue ?? []).compactMap { $0["image"]?.stringValue }
            let tag = images.first.map(Self.imageTag) ?? ""
            return "\(pod.labels["istio"] ?? "") pod - \(pod.name) - version: \(tag)"
        }
        for line in components { Console.out("Control Plane - \(line)") }
        Console.out("")
        let versions = Set(components.map { String($0.split(separator: " ").last ?? "") })
        if versions.count > 1, !install.force {
            throw IstioctlFailure(
                "failed to read the current Istio version, error: different versions of Istio components found: [\(components.joined(separator: " "))]")
        }
        try await upgradeAnyway(from: versions.count == 1 ? versions.first! : "")
    }

    /// `docker.io/istio/pilot:1.5.4` → `1.5.4`.
    static func imageTag(_ image: String) -> String {
        image.lastIndex(of: ":").map { String(image[image.index(after: $0)...]) } ?? ""
    }

    private func upgradeAnyway(from current: String) async throws {
        let target = IstioctlEnvironment.current.version.description
        Console.out("Upgrade version check passed: \(current) -> \(target).")
        Console.out("")
        if !install.skipConfirmation, !Console.confirm("Confirm to proceed [y/N]?") {
            // LogAndFatalf: the message on stderr, exit 255.
            Console.err("Abort.")
            throw IstioctlFailure("", exitCode: 255)
        }
        var install = self.install
        install.skipConfirmation = true
        try await install.run()
        Console.out("Success. Now the Istio control plane is running at version \(target).")
        Console.out(Self.sidecarMessage)
    }

    /// upgradeSidecarMessage in upgrade.go@1.6.0.
    static let sidecarMessage = """
        To upgrade the Istio data plane, you will need to re-inject it.
        If you’re using automatic sidecar injection, you can upgrade the sidecar by doing a rolling update for all the pods:
            kubectl rollout restart deployment --namespace <namespace with auto injection>
        If you’re using manual injection, you can upgrade the sidecar by executing:
            kubectl apply -f < (istioctl kube-inject -f <original application deployment yaml>)
        """
}
