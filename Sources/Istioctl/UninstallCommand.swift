import ArgumentParser
import Foundation
import JSON
import Kubernetes
import Istio

/// The flags of `istioctl x uninstall` (1.7) / `istioctl uninstall` (1.15); what it does is
/// `Uninstaller`'s.
struct UninstallOptions: ParsableArguments {
    @Option(name: [.customShort("r"), .customLong("revision")], help: "Target control plane revision for the command.")
    var revision: String?

    @Option(name: [.customShort("f"), .customLong("filename")], help: "The filename of the IstioOperator CR.")
    var filename: String?

    @Flag(help: "Delete all Istio related sources for all versions.")
    var purge = false

    @Flag(name: [.customShort("y"), .customLong("skip-confirmation")], help: "Skip the confirmation prompt.")
    var skipConfirmation = false

    @Flag(help: "Proceed even with validation errors.")
    var force = false

    @Argument(help: .hidden) var extra: [String] = []

    /// Runs the uninstall, if the istioctl release has the command it was called as.
    func run(ifTheReleaseHas command: IstioBehavior) async throws {
        try IstioctlEnvironment.current.require(command, "uninstall")
        if !extra.isEmpty { throw IstioctlFailure("istioctl uninstall does not take arguments") }
        var revision = self.revision
        if revision == nil, let filename {
            let spec = try IstioOperatorInput.spec(files: [filename], sets: [])
            revision = spec["revision"]?.stringValue ?? "default"
        }
        if revision == nil, !purge {
            throw IstioctlFailure("at least one of the --revision, --filename or --purge flags must be set")
        }
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        try await Uninstaller(client: client, istioctl: env.version).run(
            revision: revision, filenameGiven: filename != nil, purge: purge, skipConfirmation: skipConfirmation, verbose: false)
    }
}

/// `istioctl uninstall` (1.15+).
struct UninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Uninstall Istio from a cluster")
    @OptionGroup var options: UninstallOptions
    func run() async throws { try await options.run(ifTheReleaseHas: .uninstallCommand) }
}

/// `istioctl x uninstall` (1.7+).
struct ExperimentalUninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Uninstall Istio from a cluster")
    @OptionGroup var options: UninstallOptions
    func run() async throws { try await options.run(ifTheReleaseHas: .experimentalUninstallCommand) }
}
