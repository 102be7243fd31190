import Foundation
import JSON
import Kubernetes
import Istio

/// What `istioctl x uninstall` (1.7) / `istioctl uninstall` (1.15) decides and prints before it
/// prunes (`preCheckWarnings`, `operator/cmd/mesh/uninstall.go@1.7.0 … @1.30.0`): the same texts
/// in every release. Proxies still on the revision and gateways about to go are warned about,
/// never refused: with `-y` the warning is printed and the uninstall goes on; without, it asks.
struct UninstallWarning: Hashable, Sendable {
    /// The text printed (with `-y`) or shown before `Proceed? (y/N)`; each part ends in a newline.
    var message: String
    /// Whether it asks at all without `-y` (proxies, gateways or `--purge`).
    var needsConfirmation: Bool
    /// Nothing carries the revision: `No resources will be pruned …` is printed, nothing asked.
    var nothingToPrune: Bool

    static let allResourcesRemoved = "All Istio resources will be pruned from the cluster\n"
    static let noResourcesRemoved = "No resources will be pruned from the cluster. Please double check the input configs\n"
    static let purgeIgnoresRevision = "Purge uninstall will remove all Istio resources, ignoring the specified revision or operator file"

    init(revision: String?, purge: Bool, verbose: Bool, doomed: [KubeObject], proxies: [String]) {
        var message = ""
        var confirm = false
        nothingToPrune = false
        if purge {
            confirm = true
            message += Self.allResourcesRemoved
        } else if doomed.isEmpty {
            nothingToPrune = true
        } else {
            // Kinds in first-seen order (Istio ranges over a Go map: any order).
            var kinds: [String] = []
            var names: [String: [String]] = [:]
            for o in doomed {
                if names[o.resource.kind] == nil { kinds.append(o.resource.kind) }
                names[o.resource.kind, default: []].append(o.name)
            }
            if verbose {
                let list = kinds.map { "\($0): \(names[$0]!.joined(separator: ", ")). " }.joined()
                message += "The following resources will be pruned from the cluster: \(list)\n"
            }
            if let revision, !revision.isEmpty, !proxies.isEmpty {
                confirm = true
                message += "There are still \(proxies.count) proxies pointing to the control plane revision \(revision)\n"
                // Only the count when the list is long.
                if proxies.count <= 30 { message += proxies.joined(separator: "\n") + "\n" }
                message +=
                    "If you proceed with the uninstall, these proxies will become detached from any control plane and will not function correctly.\n"
            }
            let gateways = (names["Deployment"] ?? []).filter { $0.contains("gateway") }
            if !gateways.isEmpty {
                confirm = true
                message +=
                    "You are about to remove the following gateways: \(gateways.joined(separator: ", ")). To avoid downtime, please quit this command and reinstall the gateway(s) with a revision that is not being removed from the cluster.\n"
            }
        }
        self.message = nothingToPrune ? Self.noResourcesRemoved : message
        needsConfirmation = confirm
    }

    /// The question asked without `-y`.
    var prompt: String { message + "Proceed? (y/N)" }

    /// The line printed for each pruned object, per release.
    static func removedLine(_ object: KubeObject, istioctl: IstioVersion) -> String {
        let r = object.resource
        if istioctl.has(.prunedObjectNamedByGroupVersionKind) {
            return "  Removed \(r.group)/\(r.version), Kind=\(r.kind)/\(object.name).\(object.namespace)."
        }
        return "  Removed \(r.kind):\(object.namespace):\(object.name)."
    }
}

/// Runs an uninstall against the cluster: finds what carries the revision, warns, asks (unless
/// `-y`) through `confirm`, prunes and reports, as the istioctl of `istioctl` does.
struct Uninstaller {
    var client: KubeClient
    var istioctl: IstioVersion
    var namespace = "istio-system"

    /// The kinds an install creates that the emulator stores.
    static let prunable: [ResourceType] = [
        .deployments, .services, .configMaps, .serviceAccounts, .envoyFilters, .mutatingWebhookConfigurations,
        .validatingWebhookConfigurations, .istioOperators,
    ]

    /// Every revision the cluster's injectors and tags name (`tag.ListRevisionDescriptions`,
    /// `istioctl/pkg/tag/revision.go@1.20.0`): an unlabelled injector is `default`.
    func installedRevisions() async throws -> Set<String> {
        Set(try await client.list(.mutatingWebhookConfigurations).map { $0.labels["istio.io/rev"] ?? "default" })
    }

    /// The objects a revision's (or, with `purge`, every) uninstall removes: those the installer
    /// labelled with the revision and a component, and the revision's `installed-state` record.
    func doomed(revision: String?, purge: Bool) async throws -> [KubeObject] {
        var doomed: [KubeObject] = []
        // CRDs only with --purge: they hold users' config (`AllClusterResources` vs
        // `ClusterCPResources`, operator/pkg/helmreconciler/prune.go@1.7.0 … 1.20.0).
        for resource in Self.prunable + (purge ? [.customResourceDefinitions] : []) {
            let scope: String? = resource.namespaced ? namespace : nil
            let selector = purge ? "operator.istio.io/component" : "istio.io/rev=\(revision ?? ""),operator.istio.io/component"
            do {
                doomed += try await client.list(resource, namespace: scope, labelSelector: selector)
            } catch let f as KubeClient.Failure where f.status == 404 {
                continue  // a kind not served (its CRD is gone) has nothing to prune
            }
        }
        let records = try await client.list(.istioOperators, namespace: namespace).filter { $0.name.hasPrefix("installed-state") }
        doomed += purge ? records : records.filter { ($0.spec["revision"]?.stringValue ?? "default") == (revision ?? "default") }
        var seen = Set<ObjectKey>()
        return doomed.filter { seen.insert($0.key).inserted }
    }

    /// Proxies whose istiod is the revision's (`proxyinfo.GetIDsFromProxyInfo` with the
    /// revision's client), as `<pod>.<namespace>`.
    func proxies(of revision: String) async throws -> [String] {
        try await client.list(.pods).compactMap(ProxyView.init).filter { !$0.pod.isTerminating && $0.revision == revision }.map(\.id)
    }

    /// The whole command; `confirm` asks the question (stdin in the CLI). Throws `Cancelled.`'s
    /// exit 1 when the answer is no.
    func run(
        revision: String?, filenameGiven: Bool, purge: Bool, skipConfirmation: Bool, verbose: Bool,
        confirm: (String) -> Bool = Console.confirm
    ) async throws {
        if let revision, !revision.isEmpty, istioctl.has(.uninstallChecksRevision), !(try await installedRevisions().contains(revision)) {
            throw IstioctlFailure("could not find target revision")
        }
        if purge, revision != nil || filenameGiven { Console.out(UninstallWarning.purgeIgnoresRevision) }
        let doomed = try await doomed(revision: revision, purge: purge)
        let proxies = purge || revision == nil ? [] : try await proxies(of: revision!)
        let warning = UninstallWarning(revision: revision, purge: purge, verbose: verbose, doomed: doomed, proxies: proxies)
        if warning.nothingToPrune || skipConfirmation {
            Console.out(warning.message)
        } else if warning.needsConfirmation, !confirm(warning.prompt) {
            Console.out("Cancelled.")
            throw IstioctlFailure("", exitCode: 1)
        }
        for object in warning.nothingToPrune ? [] : doomed {
            do {
                try await client.delete(object)
                Console.out(UninstallWarning.removedLine(object, istioctl: istioctl))
            } catch let f as KubeClient.Failure where f.status == 404 {
                continue
            }
        }
        Console.out("✔ Uninstall complete")
    }
}
