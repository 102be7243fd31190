import ArgumentParser
import Istioctl

/// `xdsemu istioctl …`: the emulated istioctl, every argument passed through
/// (`xdsemu istioctl --istio-version 1.6.0 install --set revision=canary`).
struct IstioctlPassthrough: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "istioctl",
        abstract: "Run istioctl against the emulator (--istio-version V or \(Istioctl.versionVariable) picks its release).",
        helpNames: [])

    @Argument(parsing: .captureForPassthrough, help: "istioctl's own arguments.")
    var arguments: [String] = []

    func run() async throws {
        let code = await Istioctl.main(arguments)
        if code != 0 { throw ExitCode(code) }
    }
}

extension XDSEmu {
    /// Whether this process was started under the name `istioctl` (a link to xdsemu).
    static var invokedAsIstioctl: Bool {
        let argv0 = CommandLine.arguments.first ?? ""
        return argv0.split(separator: "/").last.map(String.init) == "istioctl"
    }
}
