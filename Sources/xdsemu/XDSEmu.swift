import ArgumentParser
import Foundation
import Istioctl

/// The program's entry point and root command. Each verb is a subcommand in its own file
/// (`run`, `up`, `istioctl`, `shim`): add it to `subcommands`. `@main` (rather than a main.swift) is how
/// ArgumentParser runs an async root command.
@main
struct XDSEmu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xdsemu",
        abstract: "A fake istiod and Kubernetes API you can run anywhere, to rehearse Istio canary upgrades.",
        subcommands: [Run.self, Up.self, IstioctlPassthrough.self, Shim.self, RehearseCommand.self]
    )

    /// Answers as `istioctl` when started under that name (a link); otherwise ArgumentParser's usual run.
    static func main() async {
        if invokedAsIstioctl { Foundation.exit(await Istioctl.main(Array(CommandLine.arguments.dropFirst()))) }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
