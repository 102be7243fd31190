import ArgumentParser
import Foundation
import JSON
import Kubernetes
import Istio

/// `istioctl install` (1.6's alias of `manifest apply`): renders this istioctl's release for the
/// requested profile and revision and applies it through the emulator's Kubernetes API,
/// component by component, waiting for each one's Deployments, printing Istio's progress lines.
struct InstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install", abstract: "Applies an Istio manifest, installing or reconfiguring Istio on a cluster.",
        aliases: ["apply"])

    @Option(name: [.customShort("f"), .customLong("filename")], help: "Path to file containing IstioOperator custom resource.")
    var filenames: [String] = []

    @Option(name: [.customShort("s"), .customLong("set")], help: "Override an IstioOperator value, e.g. to choose a profile (--set profile=demo).")
    var sets: [String] = []

    @Option(name: [.customShort("r"), .customLong("revision")], help: "Target control plane revision for the command (1.9+).")
    var revision: String?

    @Flag(name: [.customShort("y"), .customLong("skip-confirmation")], help: "Skip the confirmation prompt.")
    var skipConfirmation = false

    @Flag(help: "Proceed even with validation errors.")
    var force = false

    @Option(name: .customLong("readiness-timeout"), help: "Maximum time to wait for Istio resources to become ready, e.g. 300s.")
    var readinessTimeout = "300s"

    func run() async throws {
        let env = IstioctlEnvironment.current
        if let revision {
            guard env.version.has(.revisionFlag) else { throw IstioctlFailure("unknown flag: --revision") }
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
        if filenames.isEmpty, self.sets.isEmpty, revision == nil, !skipConfirmation {
            guard Console.confirm("This will install the \(spec.profile) Istio profile into the cluster. Proceed? (y/N)") else {
                Console.out("Cancelled.")
                return
            }
        }
        let client = try await KubeconfigLocator.connect(env)
        let installer = Installer(client: client, readinessTimeout: Self.seconds(readinessTimeout) ?? 300)
        try await installer.install(IstioManifest(spec), operatorSpec: operatorSpec, revisionFlag: revision != nil)
    }

    /// `300s`, `5m`, `5m0s`.
    static func seconds(_ text: String) -> Double? {
        var total = 0.0, number = ""
        for c in text {
            if c.isNumber || c == "." { number.append(c); continue }
            guard let n = Double(number) else { return nil }
            switch c {
            case "h": total += n * 3600
            case "m": total += n * 60
            case "s": total += n
            default: return nil
            }
            number = ""
        }
        if !number.isEmpty { guard let n = Double(number) else { return nil }; total += n }
        return total
    }
}
