import ArgumentParser
import Foundation
import JSON
import Kubernetes
import Istio

/// `istioctl` against the emulator: what `xdsemu istioctl …`, a link named `istioctl` and the
/// `xdsemu shim` script all run. Its Istio version (`--istio-version`, `XDSEMU_ISTIO_VERSION`,
/// default 1.6.0) decides which commands exist and which rules they follow, as a real istioctl's
/// release does.
package enum Istioctl {
    package static let defaultVersion = IstioVersion.v1_6_0
    /// The environment variable that sets the version when no `--istio-version` is given.
    package static let versionVariable = "XDSEMU_ISTIO_VERSION"
    /// Boolean flags that default to true, so users write `--name=false`.
    static let booleanFlags: Set<String> = ["short", "remote"]
    static let falseFlagPrefix = "xdsemu-false-"

    /// Runs one invocation (`arguments` without argv[0]) and returns the exit code.
    package static func main(_ arguments: [String], variables: [String: String] = ProcessInfo.processInfo.environment) async -> Int32 {
        var args: [String] = []
        var versionText = variables[versionVariable]
        var kubeconfig: String?
        var i = 0
        // Global flags istioctl accepts anywhere on the line; taken out before the subcommands parse.
        while i < arguments.count {
            let a = arguments[i]
            if a == "--istio-version" || a == "--kubeconfig" || a == "-c", i + 1 < arguments.count {
                if a == "--istio-version" { versionText = arguments[i + 1] } else { kubeconfig = arguments[i + 1] }
                i += 2
                continue
            }
            // pflag's booleans: `--short=false` → a hidden `--xdsemu-false-short`; `=true` is the bare flag.
            if a.hasPrefix("--"), let eq = a.firstIndex(of: "="), ["false", "true"].contains(a[a.index(after: eq)...]),
                case let name = String(a[a.index(a.startIndex, offsetBy: 2)..<eq]), booleanFlags.contains(name)
            {
                args.append(a.hasSuffix("=false") ? "--\(falseFlagPrefix)\(name)" : "--\(name)")
            } else if a.hasPrefix("--istio-version=") {
                versionText = String(a.dropFirst("--istio-version=".count))
            } else if a.hasPrefix("--kubeconfig=") {
                kubeconfig = String(a.dropFirst("--kubeconfig=".count))
            } else if a.count > 2, a.hasPrefix("-o") || a.hasPrefix("-n") || a.hasPrefix("-r"), !a.hasPrefix("--") {
                // cobra (pflag) takes a short option's value attached: `-ojson`, `-nfoo`.
                args.append(String(a.prefix(2)))
                args.append(String(a.dropFirst(2)).replacingOccurrences(of: "=", with: "", options: .anchored))
            } else {
                args.append(a)
            }
            i += 1
        }
        let version: IstioVersion
        if let versionText, !versionText.isEmpty {
            switch IstioRelease.parse(versionText) {
            case .success(let v): version = v
            case .failure(let refusal):
                Console.err("Error: \(refusal.message)")
                return 1
            }
        } else {
            version = defaultVersion
        }
        let env = IstioctlEnvironment(version: version, kubeconfigFlag: kubeconfig, variables: variables)
        return await IstioctlEnvironment.$current.withValue(env) {
            do {
                var command = try IstioctlCommand.parseAsRoot(args)
                if var asyncCommand = command as? any AsyncParsableCommand {
                    try await asyncCommand.run()
                } else {
                    try command.run()
                }
                return 0
            } catch let failure as IstioctlFailure {
                if !failure.message.isEmpty { Console.err("Error: \(failure.message)") }
                return failure.exitCode
            } catch let notFound as KubeconfigLocator.NotFound {
                Console.err("Error: \(notFound.description)")
                return 1
            } catch {
                let code = IstioctlCommand.exitCode(for: error)
                let message = IstioctlCommand.fullMessage(for: error)
                if !message.isEmpty {
                    if code == .success { Console.out(message) } else { Console.err(message) }
                }
                return code.rawValue
            }
        }
    }
}

/// An istioctl failure: printed as cobra prints a command's error (`Error: …`), exit 1.
struct IstioctlFailure: Error {
    var message: String
    var exitCode: Int32 = 1
    init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }
}

/// The root `istioctl` command.
struct IstioctlCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "istioctl",
        abstract: "Istio configuration command line utility (emulated by xdsemu).",
        discussion: "Global flags: --istio-version VERSION (or \(Istioctl.versionVariable)), --kubeconfig/-c PATH.",
        subcommands: [
            InstallCommand.self, UninstallCommand.self, TagCommand.self, ExperimentalCommand.self, VersionCommand.self,
            ProxyConfigCommand.self, ProxyStatusCommand.self,
        ]
    )
}

/// `istioctl experimental` / `istioctl x`.
struct ExperimentalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "experimental", abstract: "Experimental commands that may be modified or deprecated",
        subcommands: [ExperimentalUninstallCommand.self, RevisionCommand.self, CheckInjectCommand.self], aliases: ["x", "exp"])
}

extension IstioctlEnvironment {
    /// cobra's answer to a command this release does not have (`ReleaseTable` says which do).
    func require(_ command: IstioBehavior, _ name: String) throws(IstioctlFailure) {
        guard version.has(command) else {
            throw IstioctlFailure("unknown command \"\(name)\" for \"istioctl\"\nRun 'istioctl --help' for usage.")
        }
    }
}
