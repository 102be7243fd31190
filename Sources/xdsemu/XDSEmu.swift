import ArgumentParser

/// The program's entry point and root command. Each verb is a subcommand in its own file
/// (`up` now; `run` to come): add it to `subcommands`. `@main` (rather than a main.swift) is how
/// ArgumentParser runs an async root command.
@main
struct XDSEmu: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xdsemu",
        abstract: "A fake istiod and Kubernetes API you can run anywhere, to rehearse Istio canary upgrades.",
        subcommands: [Up.self]
    )
}
