import Foundation
import JSON
import Kubernetes
import Istio

/// Revision tags (`istioctl x revision tag` in 1.10, `istioctl tag` from 1.11): a tag is a
/// MutatingWebhookConfiguration `istio-revision-tag-<tag>` whose selectors send `istio.io/rev=<tag>`
/// to its revision's istiod (docs/istio-facts.md §7.2). What a release's `tag set` checks and
/// writes is `RevisionTag.plan`; this reads the cluster, applies the plan and prints.
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

    /// Plans `tag set` against the cluster as it is now.
    static func plan(_ client: KubeClient, tag: String, revision: String, overwrite: Bool, generate: Bool, istioctl: IstioVersion)
        async throws -> RevisionTag
    {
        let mutating = try await client.list(.mutatingWebhookConfigurations)
        let validating = try await client.list(.validatingWebhookConfigurations)
        switch RevisionTag.plan(
            tag: tag, revision: revision, overwrite: overwrite, generate: generate, istioctl: istioctl, mutating: mutating,
            validating: validating)
        {
        case .success(let plan): return plan
        case .failure(let refusal): throw IstioctlFailure(refusal.message)
        }
    }

    /// Writes a plan: the deactivated injector first (so the new tag never overlaps it), then the
    /// tag and its validator, then the removed Base validators.
    static func write(_ plan: RevisionTag, _ client: KubeClient) async throws {
        for object in plan.update { _ = try await client.update(object) }
        for object in plan.apply { _ = try await client.apply(object) }
        for object in plan.delete {
            do { try await client.delete(object) } catch let f as KubeClient.Failure where f.status == 404 { continue }
        }
    }

    /// `tag set <tag> --revision <revision> [--overwrite]`.
    static func set(tag: String, revision: String, overwrite: Bool) async throws {
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        let plan = try await plan(client, tag: tag, revision: revision, overwrite: overwrite, generate: false, istioctl: env.version)
        try await write(plan, client)
        Console.out(RevisionTag.createdMessage(tag: tag, revision: revision))
    }

    /// `tag generate`: the objects `tag set` would apply, nothing written.
    static func generate(tag: String, revision: String, overwrite: Bool) async throws -> [KubeObject] {
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        return try await plan(client, tag: tag, revision: revision, overwrite: overwrite, generate: true, istioctl: env.version).apply
    }

    /// What install does after its components when it becomes the default (1.12+): the `default`
    /// tag to its revision, overwriting any (`revtag.Generate(… Overwrite: true)`); a failure is
    /// not the install's (a remote cluster may have no injector), as in Istio.
    static func makeDefault(_ spec: IstioInstallSpec, _ client: KubeClient) async {
        guard
            let plan = try? await plan(
                client, tag: RevisionTag.defaultName, revision: spec.revisionLabel, overwrite: true, generate: false,
                istioctl: spec.version)
        else { return }
        try? await write(plan, client)
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
