import Foundation
import JSON
import Kubernetes
import Istio

/// `istioctl install` (1.6's alias of `manifest apply`): renders this istioctl's release for the
/// requested profile and revision and applies it through the emulator's Kubernetes API,
/// component by component, waiting for each one's Deployments, printing Istio's progress lines.
struct InstallCommand {
    var filenames: [String] = []
    var sets: [String] = []
    var revision: String?
    var skipConfirmation = false
    var force = false
    var dryRun = false
    var readinessTimeout = "300s"

    init(_ invocation: CobraInvocation) {
        let f = invocation.flags
        filenames = f.strings("filename")
        sets = f.strings("set")
        revision = f.optional("revision")
        skipConfirmation = f.bool("skip-confirmation")
        force = f.bool("force")
        dryRun = f.bool("dry-run")
        readinessTimeout = f.string("readiness-timeout")
    }

    func run() async throws {
        let env = IstioctlEnvironment.current
        if let revision {
            if case .rejected(let message) = RevisionName.check(revision, istioctl: env.version) { throw IstioctlFailure(message) }
        }
        var sets = self.sets
        if let revision { sets.append("revision=\(revision)") }
        let operatorSpec: JSONValue
        do { operatorSpec = try IstioOperatorInput.spec(files: filenames, sets: sets) } catch { throw IstioctlFailure(error.description) }
        let spec: IstioInstallSpec
        do {
            spec = try IstioInstallSpec(operatorSpec: operatorSpec, version: env.version)
        } catch {
            throw IstioctlFailure("failed to get profile and enabled components: \(error.message)")
        }
        switch RevisionName.check(spec.revision, istioctl: env.version) {
        case .valid: break
        case .rejected(let message) where !force:
            throw IstioctlFailure(
                "failed to get profile and enabled components: failed to read profile: validation errors (use --force to override): \n\(message)")
        case .rejected: break
        case .failsWhileRendering(let detail):
            // 1.5–1.8: the operator's overlay parser breaks on the dot; install swallows the detail.
            Console.log("error", "installer", detail)
            throw IstioctlFailure("failed to apply manifests: errors occurred during operation")
        }
        let manifest = IstioManifest(spec)
        if env.version.has(.installVersionDiffWarning) || env.version.has(.inPlaceUpgradeWarning) {
            // Errors are ignored: a first install has no istiod to compare with.
            let client = try await KubeconfigLocator.connect(env)
            let istiods = (try? await VersionDiffWarning.istiods(client, namespace: spec.namespace)) ?? []
            let setRevision = sets.last { $0.hasPrefix("revision=") }.map { String($0.dropFirst("revision=".count)) }
            if let text = VersionDiffWarning(version: env.version).text(istiods: istiods, setRevision: setRevision, installRevision: spec.revision) {
                Console.write(text, error: true)
            }
        }
        let prompt = InstallPrompt(version: env.version)
        // `--revision` travels as a `--set`, so 1.6–1.7 do not ask when it is given.
        if prompt.asks(filenames: filenames, sets: sets, skipConfirmation: skipConfirmation, dryRun: dryRun) {
            try prompt.confirm(prompt.question(profile: spec.profile, components: manifest.components.map(\.component.title)))
        }
        if dryRun {
            // The operator's dry run renders and reports each component without writing anything.
            for component in manifest.components { Console.out("✔ \(component.component.title) installed") }
            Console.out("✔ Installation complete")
            return
        }
        let client = try await KubeconfigLocator.connect(env)
        let installer = Installer(client: client, readinessTimeout: GoDuration.seconds(readinessTimeout) ?? 300)
        try await installer.install(manifest, operatorSpec: operatorSpec, revisionFlag: revision != nil)
    }
}

extension InstallCommand {
    /// `istioctl install` (1.6+), also `manifest apply` in 1.5–1.6 (`operator/cmd/mesh/install.go@1.20.0`).
    static func command(_ version: IstioVersion, use: String = "install") -> CobraCommand {
        let docs = "https://istio.io/v\(version.minorString)/docs/"
        var flags = [
            CobraFlag("filename", "f", .stringSlice,
                      "Path to file containing IstioOperator custom resource\nThis flag can be specified multiple times to overlay multiple files. Multiple files are overlaid in left to right order."),
            CobraFlag("set", "s", .stringArray,
                      "Override an IstioOperator value, e.g. to choose a profile\n(--set profile=demo), enable or disable components (--set components.cni.enabled=true), or override Istio\nsettings (--set meshConfig.enableTracing=true). See documentation for more info:\(docs)reference/config/istio.operator.v1alpha1/#IstioOperatorSpec"),
            .bool("skip-confirmation", "y",
                  "The skipConfirmation determines whether the user is prompted for confirmation.\nIf set to true, the user is not prompted and a Yes response is assumed in all cases."),
            .bool("force", "Proceed even with validation errors."),
            CobraFlag("readiness-timeout", nil, .duration, default: "5m0s", "Maximum time to wait for Istio resources in each component to be ready."),
            .bool("dry-run", "Console/log output only, make no changes."),
        ]
        if version.has(.revisionFlag) { flags.append(CobraFlag("revision", "r", "Target control plane revision for the command.")) }
        var command = CobraCommand(
            use, short: "Applies an Istio manifest, installing or reconfiguring Istio on a cluster.",
            long: "The \(use) command generates an Istio install manifest and applies it to a cluster.",
            example: use == "install" ? installExample : "",
            persistentFlags: flags, args: CobraCommand.exactArgs(0),
            run: { invocation in try await InstallCommand(invocation).run() })
        if use == "install", version.has(.installApplyAlias) { command.aliases = ["apply"] }
        command.hiddenInherited = ["namespace", "istioNamespace"]
        return command
    }
}

/// The examples of `install` (install.go@1.20.0).
private let installExample = #"""
      # Apply a default Istio installation
      istioctl install

      # Enable Tracing
      istioctl install --set meshConfig.enableTracing=true

      # Generate the demo profile and don't wait for confirmation
      istioctl install --set profile=demo --skip-confirmation

      # To override a setting that includes dots, escape them with a backslash (\).  Your shell may require enclosing quotes.
      istioctl install --set "values.sidecarInjectorWebhook.injectedAnnotations.container\.apparmor\.security\.beta\.kubernetes\.io/istio-proxy=runtime/default"

    """#
