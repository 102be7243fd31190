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
    /// Runs one invocation (`arguments` without argv[0]) and returns the exit code.
    package static func main(_ arguments: [String], variables: [String: String] = ProcessInfo.processInfo.environment) async -> Int32 {
        // The release decides the command tree, so `--istio-version` is read before cobra parses.
        var versionText = variables[versionVariable]
        for (i, a) in arguments.enumerated() {
            if a == "--istio-version", i + 1 < arguments.count { versionText = arguments[i + 1] }
            if a.hasPrefix("--istio-version=") { versionText = String(a.dropFirst("--istio-version=".count)) }
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
        switch CobraRunner.resolve(root: IstioctlCommandTree.root(version), arguments: arguments) {
        case .answer(let stdout, let stderr, let code):
            Console.write(stdout)
            Console.write(stderr, error: true)
            return code
        case .run(let action, let invocation):
            let kubeconfig = invocation.flags.optional("kubeconfig")
            let env = IstioctlEnvironment(version: version, kubeconfigFlag: kubeconfig, variables: variables)
            return await IstioctlEnvironment.$current.withValue(env) {
                do {
                    try await action(invocation)
                    return 0
                } catch let failure as IstioctlFailure {
                    if !failure.message.isEmpty { Console.err("Error: \(failure.message)") }
                    return failure.exitCode
                } catch let notFound as KubeconfigLocator.NotFound {
                    Console.err("Error: \(notFound.description)")
                    return 1
                } catch {
                    Console.err("Error: \(error)")
                    return 1
                }
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

extension IstioctlEnvironment {
    /// cobra's answer to a command this release does not have (`ReleaseTable` says which do).
    func require(_ command: IstioBehavior, _ name: String) throws(IstioctlFailure) {
        guard version.has(command) else {
            throw IstioctlFailure("unknown command \"\(name)\" for \"istioctl\"\nRun 'istioctl --help' for usage.")
        }
    }
}
