import ArgumentParser
import Foundation
import JSON
import Kubernetes
import Istio

/// Which command row of `ReleaseTable` puts `tag` at a given place (at the top, or under
/// `x revision`).
protocol ReleaseGate {
    static var command: IstioBehavior { get }
}
enum TopLevelTagGate: ReleaseGate { static var command: IstioBehavior { .tagCommand } }
enum ExperimentalTagGate: ReleaseGate { static var command: IstioBehavior { .experimentalTagCommand } }

extension ReleaseGate {
    static func check() throws(IstioctlFailure) {
        try IstioctlEnvironment.current.require(command, "tag")
    }
}

struct TagSet<Gate: ReleaseGate>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "set", abstract: "Create or modify revision tags") }
    @Argument var tag: String
    @Option(name: [.customShort("r"), .customLong("revision")]) var revision: String
    @Flag var overwrite = false
    @Flag(name: [.customShort("y"), .customLong("skip-confirmation")]) var skipConfirmation = false
    func run() async throws {
        try Gate.check()
        try await RevisionTags.set(tag: tag, revision: revision, overwrite: overwrite)
    }
}

struct TagList<Gate: ReleaseGate>: AsyncParsableCommand {
    static var configuration: CommandConfiguration { CommandConfiguration(commandName: "list", abstract: "List existing revision tags") }
    @Option(name: [.customShort("o"), .customLong("output")]) var output = "table"
    func run() async throws {
        try Gate.check()
        try await RevisionTags.list(json: output == "json")
    }
}

struct TagRemove<Gate: ReleaseGate>: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "remove", abstract: "Remove Istio control plane revision tag")
    }
    @Argument var tag: String
    @Flag(name: [.customShort("y"), .customLong("skip-confirmation")]) var skipConfirmation = false
    func run() async throws {
        try Gate.check()
        try await RevisionTags.remove(tag: tag, skipConfirmation: skipConfirmation)
    }
}

/// `istioctl tag` (1.11+).
struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Command group used to interact with revision tags",
        subcommands: [TagSet<TopLevelTagGate>.self, TagList<TopLevelTagGate>.self, TagRemove<TopLevelTagGate>.self])
}

/// `istioctl x revision tag` (1.10+).
struct ExperimentalTagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Command group used to interact with revision tags",
        subcommands: [TagSet<ExperimentalTagGate>.self, TagList<ExperimentalTagGate>.self, TagRemove<ExperimentalTagGate>.self])
}
