import Foundation
import JSON
import Kubernetes
import Istio

/// The flags of `istioctl x uninstall` (1.7) / `istioctl uninstall` (1.15); what it does is
/// `Uninstaller`'s.
struct UninstallOptions {
    var revision: String?
    var filename: String?
    var purge = false
    var skipConfirmation = false
    var force = false
    var verbose = false
    var extra: [String] = []

    init(_ invocation: CobraInvocation) {
        let f = invocation.flags
        revision = f.optional("revision")
        filename = f.optional("filename")
        purge = f.bool("purge")
        skipConfirmation = f.bool("skip-confirmation")
        force = f.bool("force")
        verbose = f.bool("verbose")
        extra = invocation.args
    }

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
            revision: revision, filenameGiven: filename != nil, purge: purge, skipConfirmation: skipConfirmation, verbose: verbose)
    }
}

extension UninstallOptions {
    /// `istioctl x uninstall` (1.7+) and `istioctl uninstall` (1.15+), flags of
    /// `operator/cmd/mesh/uninstall.go@1.20.0`.
    static func command(_ version: IstioVersion, experimental: Bool) -> CobraCommand {
        var command = CobraCommand(
            "uninstall", short: "Uninstall Istio from a cluster", long: "The uninstall command uninstalls Istio from a cluster",
            example: """
                  # Uninstall a single control plane by revision
                  istioctl \(experimental ? "x " : "")uninstall --revision foo

                  # Uninstall a single control plane by iop file
                  istioctl \(experimental ? "x " : "")uninstall -f iop.yaml

                  # Uninstall all control planes and shared resources
                  istioctl \(experimental ? "x " : "")uninstall --purge
                """,
            persistentFlags: [
                .bool("skip-confirmation", "y",
                      "The skipConfirmation determines whether the user is prompted for confirmation.\nIf set to true, the user is not prompted and a Yes response is assumed in all cases."),
                .bool("force", "Proceed even with validation errors."),
                .bool("purge", "Delete all Istio related sources for all versions"),
                CobraFlag("revision", "r", "Target control plane revision for the command."),
                CobraFlag("filename", "f", "The filename of the IstioOperator CR."),
                // uninstall.go@1.7.0…@1.30.0: `BoolVarP(&args.verbose, "verbose", "v", false, "Verbose output.")`.
                .bool("verbose", "v", "Verbose output."),
            ],
            run: { invocation in
                try await UninstallOptions(invocation).run(ifTheReleaseHas: experimental ? .experimentalUninstallCommand : .uninstallCommand)
            })
        command.hiddenInherited = ["namespace", "istioNamespace"]
        return command
    }
}
