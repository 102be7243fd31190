import ArgumentParser
import Foundation
import JSON
import Kubernetes
import Istio

/// The flags and behaviour of `istioctl x uninstall` (1.7) / `istioctl uninstall` (1.15):
/// removes the objects the installer labelled with the revision (`istio.io/rev` plus
/// `operator.istio.io/component`), after warning about proxies still pointing at it. Unlike the
/// real 1.7 (which only warns), it refuses while proxies use the revision unless `--force`.
struct UninstallOptions: ParsableArguments {
    @Option(name: [.customShort("r"), .customLong("revision")], help: "Target control plane revision for the command.")
    var revision: String?

    @Option(name: [.customShort("f"), .customLong("filename")], help: "The filename of the IstioOperator CR.")
    var filename: String?

    @Flag(help: "Delete all Istio related sources for all versions.")
    var purge = false

    @Flag(name: [.customShort("y"), .customLong("skip-confirmation")], help: "Skip the confirmation prompt.")
    var skipConfirmation = false

    @Flag(help: "Proceed even when proxies still point to the revision.")
    var force = false

    @Argument(help: .hidden) var extra: [String] = []

    /// The kinds an install creates that the emulator stores.
    static let prunable: [ResourceType] = [
        .deployments, .services, .configMaps, .serviceAccounts, .envoyFilters, .mutatingWebhookConfigurations,
        .validatingWebhookConfigurations, .istioOperators,
    ]

    /// Runs the uninstall, if the istioctl release has the command it was called as.
    func run(ifTheReleaseHas command: IstioBehavior) async throws {
        try IstioctlEnvironment.current.require(command, "uninstall")
        if !extra.isEmpty { throw IstioctlFailure("istioctl uninstall does not take arguments") }
        var revision = self.revision
        if revision == nil, let filename {
            let spec = try IstioOperatorInput.spec(files: [filename], sets: [])
            revision = spec["revision"]?.stringValue ?? "default"
        }
        if revision == nil, !purge {
            throw IstioctlFailure("at least one of the --revision, --filename or --purge flags must be set")
        }
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        var doomed: [KubeObject] = []
        // CRDs only with --purge: they hold users' config (`AllClusterResources` vs
        // `ClusterCPResources`, operator/pkg/helmreconciler/prune.go@1.7.0 … 1.20.0).
        for resource in Self.prunable + (purge ? [.customResourceDefinitions] : []) {
            let namespace: String? = resource.namespaced ? "istio-system" : nil
            let selector =
                purge ? "operator.istio.io/component" : "istio.io/rev=\(revision ?? ""),operator.istio.io/component"
            do {
                doomed += try await client.list(resource, namespace: namespace, labelSelector: selector)
            } catch let f as KubeClient.Failure where f.status == 404 {
                continue  // a kind not served (its CRD is gone) has nothing to prune
            }
        }
        if !purge, let revision {
            doomed += try await client.list(.istioOperators, namespace: "istio-system").filter {
                ($0.spec["revision"]?.stringValue ?? "default") == (revision == "default" ? "default" : revision)
                    && $0.name.hasPrefix("installed-state")
            }
        } else if purge {
            doomed += try await client.list(.istioOperators, namespace: "istio-system")
        }
        var seen = Set<ObjectKey>()
        doomed = doomed.filter { seen.insert($0.key).inserted }

        let pods = try await client.list(.pods)
        let proxies = pods.compactMap(ProxyView.init).filter { !$0.pod.isTerminating && (purge || $0.revision == revision) }
        if !proxies.isEmpty {
            Console.out("There are still \(proxies.count) proxies pointing to the control plane revision \(purge ? "" : revision ?? "")")
            for p in proxies.prefix(30) { Console.out(p.id) }
            Console.out(
                "If you proceed with the uninstall, these proxies will become detached from any control plane and will not function correctly.")
        }
        let gateways = doomed.filter { $0.resource == .deployments && $0.labels["app"]?.hasSuffix("gateway") == true }
        if !gateways.isEmpty {
            Console.out(
                "You are about to remove the following gateways: \(gateways.map(\.name).joined(separator: ", ")). To avoid downtime, please quit this command and reinstall the gateway(s) with a revision that is not being removed from the cluster.")
        }
        if !proxies.isEmpty, !force {
            throw IstioctlFailure(
                "refusing to uninstall revision \(revision ?? "") while \(proxies.count) proxies still use it: move them to another revision (relabel and restart) or pass --force")
        }
        if doomed.isEmpty {
            Console.out("No resources will be pruned from the cluster. Please double check the input configs")
        } else {
            let list = doomed.map { "\($0.resource.kind)/\($0.namespace.isEmpty ? "" : $0.namespace + "/")\($0.name)" }
            Console.out("The following resources will be pruned from the cluster: \(list.joined(separator: " "))")
        }
        if !skipConfirmation, !Console.confirm("Proceed? (y/N)") {
            Console.out("Cancelled.")
            return
        }
        for object in doomed {
            do { try await client.delete(object) } catch let f as KubeClient.Failure where f.status == 404 { continue }
        }
        Console.out("✔ Uninstall complete")
    }
}

/// `istioctl uninstall` (1.15+).
struct UninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Uninstall Istio from a cluster")
    @OptionGroup var options: UninstallOptions
    func run() async throws { try await options.run(ifTheReleaseHas: .uninstallCommand) }
}

/// `istioctl x uninstall` (1.7+).
struct ExperimentalUninstallCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "uninstall", abstract: "Uninstall Istio from a cluster")
    @OptionGroup var options: UninstallOptions
    func run() async throws { try await options.run(ifTheReleaseHas: .experimentalUninstallCommand) }
}
