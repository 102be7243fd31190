import Istio

/// istioctl's cobra command tree for one release: the root with its global flags
/// (`istioctl/cmd/root.go@TAG`, `istioctl/pkg/cli/option.go@TAG` from 1.19) and the commands
/// the emulator implements, each present only in the releases `ReleaseTable` gives it.
/// Commands a release has but the emulator does not implement are not listed in help.
enum IstioctlCommandTree {
    static func root(_ version: IstioVersion) -> CobraCommand {
        var root = CobraCommand(
            "istioctl", short: "Istio control interface.",
            long: "Istio configuration command line utility for service operators to\ndebug and diagnose their Istio mesh.\n",
            persistentFlags: globalFlags(version))
        root.commands = [
            VersionCommand.command(version), ProxyStatusCommand.command(version), ProxyConfigCommand.command(version),
            experimental(version), AnalyzeCommand.command(version), ManifestCommand.command(version),
        ]
        if version.has(.upgradeCommand) { root.commands.append(UpgradeCommand.command(version)) }
        if version.has(.installCommand) { root.commands.append(InstallCommand.command(version)) }
        if version.has(.uninstallCommand) { root.commands.append(UninstallOptions.command(version, experimental: false)) }
        if version.has(.tagCommand) { root.commands.append(TagCommands.group(version)) }
        if version.has(.completionCommand) {
            // cobra ≥ 1.2 adds it to every root with subcommands (completions.go@v1.2.1).
            let short = version.has(.capitalisedCompletionShort)
                ? "Generate the autocompletion script for the specified shell" : "generate the autocompletion script for the specified shell"
            root.commands.append(CobraCommand("completion", short: short, commands: [], run: nil))
            root.commands[root.commands.count - 1].commands = ["bash", "fish", "powershell", "zsh"].map { shell in
                CobraCommand(shell, short: "Generate the autocompletion script for \(shell)", run: { _ in
                    throw IstioctlFailure("shell completion is not emulated by xdsemu")
                })
            }
        }
        return root
    }

    /// The root's persistent flags; `--istio-version` is the emulator's own (hidden).
    static func globalFlags(_ version: IstioVersion) -> [CobraFlag] {
        let newWording = version.has(.cliContextFlagWording)
        var flags = [
            CobraFlag("kubeconfig", "c", "Kubernetes configuration file"),
            CobraFlag("context", newWording ? "Kubernetes configuration context" : "The name of the kubeconfig context to use"),
            CobraFlag("istioNamespace", "i", default: "istio-system", "Istio system namespace"),
            CobraFlag("namespace", "n", newWording ? "Kubernetes namespace" : "Config namespace"),
            CobraFlag("istio-version", "Istio release this istioctl emulates (xdsemu)", hidden: true),
        ]
        if version.has(.impersonateFlags) {
            flags += [
                CobraFlag("as", "Username to impersonate for the operation. User could be a regular user or a service account in a namespace"),
                CobraFlag("as-uid", "UID to impersonate for the operation."),
                CobraFlag("as-group", nil, .stringArray,
                          "Group to impersonate for the operation, this flag can be repeated to specify multiple groups."),
            ]
        }
        if version.has(.kubeTimeoutFlag) {
            flags.append(CobraFlag("kubeclient-timeout", default: "15s", "Kubernetes client timeout as a time.Duration string, defaults to 15 seconds."))
        }
        return flags
    }

    /// `istioctl experimental` (`x`, `exp`).
    static func experimental(_ version: IstioVersion) -> CobraCommand {
        var x = CobraCommand("experimental", aliases: ["x", "exp"], short: "Experimental commands that may be modified or deprecated")
        if version.has(.experimentalUninstallCommand) { x.commands.append(UninstallOptions.command(version, experimental: true)) }
        if version.has(.revisionCommand) { x.commands.append(RevisionCommand.command(version)) }
        if version.has(.checkInjectCommand) { x.commands.append(CheckInjectCommand.command(version)) }
        if version.has(.analyzerPrecheck) { x.commands.append(PrecheckCommand.command(version)) }
        return x
    }
}

/// The namespace a namespaced command acts in: `-n`, else `default` (istioctl's `handleNamespace`).
extension FlagValues {
    var namespaceOrDefault: String {
        let n = string("namespace")
        return n.isEmpty ? "default" : n
    }
}

/// `--revision` of `clioptions.ControlPlaneOptions` (`istioctl/pkg/clioptions/control_plane.go@TAG`).
enum ControlPlaneFlag {
    static func revision(_ version: IstioVersion) -> CobraFlag {
        CobraFlag(
            "revision", version.has(.controlPlaneRevisionShorthand) ? "r" : nil,
            version.has(.capitalisedRevisionFlagHelp) ? "Control plane revision" : "control plane revision")
    }
}
