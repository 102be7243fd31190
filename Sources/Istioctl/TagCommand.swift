import Foundation
import JSON
import Kubernetes
import Istio

/// The `tag` command group (`istioctl tag` from 1.11, `istioctl x revision tag` in 1.10), as
/// `istioctl/pkg/tag/tag.go@1.20.0` declares it.
enum TagCommands {
    static let skipConfirmation = CobraFlag.bool(
        "skip-confirmation", "y",
        "The skipConfirmation determines whether the user is prompted for confirmation.\nIf set to true, the user is not prompted and a Yes response is assumed in all cases.")

    static func group(_ version: IstioVersion) -> CobraCommand {
        let set = CobraCommand(
            "set <revision-tag>", short: "Create or modify revision tags",
            persistentFlags: [
                .bool("overwrite", "If true, allow revision tags to be overwritten, otherwise reject revision tag updates that\noverwrite existing revision tags."),
                skipConfirmation,
                CobraFlag("revision", "r", "Control plane revision to reference from a given revision tag"),
            ],
            args: { args throws(IstioctlFailure) in try single(args, none: "must provide a tag for modification", many: "must provide a single tag for creation") },
            run: { invocation in
                let f = invocation.flags
                try await RevisionTags.set(tag: invocation.args[0], revision: f.string("revision"), overwrite: f.bool("overwrite"))
            })
        let generate = CobraCommand(
            "generate <revision-tag>", short: "Generate configuration for a revision tag to stdout",
            long: "Create a revision tag and output to the command's stdout. Tag an Istio control plane revision for use with namespace istio.io/rev\ninjection labels.",
            persistentFlags: set.persistentFlags,
            args: { args throws(IstioctlFailure) in try single(args, none: "must provide a tag for modification", many: "must provide a single tag for creation") },
            run: { invocation in
                // `tag generate` (istioctl/pkg/tag/tag.go@1.20.0): what `tag set` would apply, as YAML on stdout.
                let f = invocation.flags
                let objects = try await RevisionTags.generate(tag: invocation.args[0], revision: f.string("revision"), overwrite: f.bool("overwrite"))
                Console.out(try objects.map { try YAMLDocument.render(ManifestCommand.documentOrder($0)) }.joined(separator: "---\n"))
            })
        var list = CobraCommand(
            "list", short: "List existing revision tags",
            persistentFlags: [CobraFlag("output", "o", default: "table", "Output format for tag description (available formats: table,json)")],
            args: { args throws(IstioctlFailure) in
                if !args.isEmpty { throw IstioctlFailure("tag list command does not accept arguments") }
            },
            run: { invocation in try await RevisionTags.list(json: invocation.flags.string("output") == "json") })
        list.aliases = ["show"]
        var remove = CobraCommand(
            "remove <revision-tag>", short: "Remove Istio control plane revision tag", persistentFlags: [skipConfirmation],
            args: { args throws(IstioctlFailure) in try single(args, none: "must provide a tag for removal", many: "must provide a single tag for removal") },
            run: { invocation in
                try await RevisionTags.remove(tag: invocation.args[0], skipConfirmation: invocation.flags.bool("skip-confirmation"))
            })
        remove.aliases = ["delete"]
        return CobraCommand(
            "tag", short: "Command group used to interact with revision tags", long: tagLong, commands: [set, generate, list, remove],
            args: { args throws(IstioctlFailure) in
                if let first = args.first { throw IstioctlFailure("unknown subcommand \(first.goQuoted)") }
            },
            run: { invocation in Console.write(invocation.path.help) })
    }

    static func single(_ args: [String], none: String, many: String) throws(IstioctlFailure) {
        if args.isEmpty { throw IstioctlFailure(none) }
        if args.count > 1 { throw IstioctlFailure(many) }
    }
}

/// The `tag` group's Long text (tag.go@1.11.0 … @1.20.0).
private let tagLong = """
    Command group used to interact with revision tags. Revision tags allow for the creation of mutable aliases
    referring to control plane revisions for sidecar injection.

    With revision tags, rather than relabeling a namespace from "istio.io/rev=revision-a" to "istio.io/rev=revision-b" to
    change which control plane revision handles injection, it's possible to create a revision tag "prod" and label our
    namespace "istio.io/rev=prod". The "prod" revision tag could point to "1-7-6" initially and then be changed to point to "1-8-1"
    at some later point.

    This allows operators to change which Istio control plane revision should handle injection for a namespace or set of namespaces
    without manual relabeling of the "istio.io/rev" tag.

    """
