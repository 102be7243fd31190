import Foundation
import JSON
import Kubernetes
import Istio

/// Revision tags (`istioctl x revision tag` in 1.10, `istioctl tag` from 1.11): a tag is a
/// MutatingWebhookConfiguration `istio-revision-tag-<tag>` whose selectors send `istio.io/rev=<tag>`
/// to its revision's istiod (docs/istio-facts.md §7.2).
enum RevisionTags {
    static func configurations(_ client: KubeClient) async throws -> [KubeObject] {
        try await client.list(.mutatingWebhookConfigurations, labelSelector: "istio.io/tag")
    }

    /// The injector configurations of installed revisions (not tags), by revision.
    static func revisions(_ client: KubeClient) async throws -> [String: KubeObject] {
        var result: [String: KubeObject] = [:]
        for c in try await client.list(.mutatingWebhookConfigurations, labelSelector: "app=sidecar-injector,!istio.io/tag") {
            result[c.labels["istio.io/rev"] ?? "default"] = c
        }
        return result
    }

    static func set(tag: String, revision: String, overwrite: Bool) async throws {
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        let revisions = try await revisions(client)
        if revisions[tag] != nil, tag != "default" || revisions[tag]?.labels["istio.io/rev"] != nil {
            throw IstioctlFailure("cannot create revision tag \"\(tag)\": found existing control plane revision with same name")
        }
        guard let injector = revisions[revision] else {
            throw IstioctlFailure("cannot modify tag: cannot find MutatingWebhookConfiguration with revision \"\(revision)\"")
        }
        let existing = try await configurations(client).first { $0.labels["istio.io/tag"] == tag }
        if existing != nil, !overwrite {
            throw IstioctlFailure("revision tag \"\(tag)\" already exists, and --overwrite is false")
        }
        let version = injector.labels["operator.istio.io/version"].flatMap(IstioVersion.init) ?? env.version
        try await client.apply(IstioManifest.tagConfiguration(tag: tag, revision: revision, version: version))
        if tag == "default", env.version.has(.defaultTag), let old = revisions["default"], old.name == "istio-sidecar-injector" {
            // 1.12+: the old default injector stays but matches nothing.
            try await client.update(IstioManifest.deactivated(old))
        }
        Console.out(
            "Revision tag \"\(tag)\" created, referencing control plane revision \"\(revision)\". To enable injection using this\nrevision tag, use 'kubectl label namespace <NAMESPACE> istio.io/rev=\(tag)'")
    }

    static func list(json: Bool) async throws {
        let client = try await KubeconfigLocator.connect(IstioctlEnvironment.current)
        let tags = try await configurations(client).sorted { ($0.labels["istio.io/tag"] ?? "") < ($1.labels["istio.io/tag"] ?? "") }
        let namespaces = try await client.list(.namespaces)
        let rows: [(tag: String, revision: String, namespaces: [String])] = tags.map { c in
            let tag = c.labels["istio.io/tag"] ?? ""
            return (tag, c.labels["istio.io/rev"] ?? "", namespaces.filter { $0.labels["istio.io/rev"] == tag }.map(\.name))
        }
        if json {
            let doc = JSONValue.array(
                rows.map { ["tag": .string($0.tag), "revision": .string($0.revision), "namespaces": .array($0.namespaces.map { .string($0) })] })
            Console.out(doc.canonicalJSON)
            return
        }
        if rows.isEmpty {
            Console.out("No Istio revision tag MutatingWebhookConfigurations to list")
            return
        }
        Console.out(TabWriter.format([["TAG", "REVISION", "NAMESPACES"]] + rows.map { [$0.tag, $0.revision, $0.namespaces.joined(separator: ",")] }, padding: 1))
    }

    static func remove(tag: String, skipConfirmation: Bool) async throws {
        let client = try await KubeconfigLocator.connect(IstioctlEnvironment.current)
        let matching = try await configurations(client).filter { $0.labels["istio.io/tag"] == tag }
        guard !matching.isEmpty else {
            throw IstioctlFailure("cannot remove tag \"\(tag)\": cannot find MutatingWebhookConfiguration for tag")
        }
        let users = try await client.list(.namespaces, labelSelector: "istio.io/rev=\(tag)").map(\.name)
        if !users.isEmpty, !skipConfirmation {
            guard Console.confirm(
                "Caution, found \(users.count) namespace(s) still injected by tag \"\(tag)\": \(users.joined(separator: " "))\nProceed with operation? [y/N]")
            else {
                Console.out("Aborting operation.")
                return
            }
        }
        for c in matching { try await client.delete(c) }
        Console.out("Revision tag \(tag) removed")
    }
}

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
            "tag", short: "Command group used to interact with revision tags", long: tagLong, commands: [set, list, remove],
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
