import Foundation
import JSON
import Kubernetes
import Istio

/// The flags and behaviour of `istioctl x uninstall` (1.7) / `istioctl uninstall` (1.15):
/// removes the objects the installer labelled with the revision (`istio.io/rev` plus
/// `operator.istio.io/component`), after warning about proxies still pointing at it. Unlike the
/// real 1.7 (which only warns), it refuses while proxies use the revision unless `--force`.
struct UninstallOptions {
    var revision: String?
    var filename: String?
    var purge = false
    var skipConfirmation = false
    var force = false
    var extra: [String] = []

    init(_ invocation: CobraInvocation) {
        let f = invocation.flags
        revision = f.optional("revision")
        filename = f.optional("filename")
        purge = f.bool("purge")
        skipConfirmation = f.bool("skip-confirmation")
        force = f.bool("force")
        extra = invocation.args
    }

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

extension UninstallOptions {
    /// `istioctl x uninstall` (1.7+) and `istioctl uninstall` (1.15+), flags of
    /// `operator/cmd/mesh/uninstall.go@1.20.0`.
    static func command(_ version: IstioVersion, experimental: Bool) -> CobraCommand {
        var command = CobraCommand(
            "uninstall", short: "Uninstall Istio from a cluster", long: "The uninstall command uninstalls Istio from a cluster",
            example: """
                  # Uninstall a single control plane by revision
                  istioctl \(experimental ? "x " : "")uninstall --revision foo

                  # Uninstall a single control plane by iop file
                  istioctl \(experimental ? "x " : "")uninstall -f iop.yaml

                  # Uninstall all control planes and shared resources
                  istioctl \(experimental ? "x " : "")uninstall --purge
                """,
            persistentFlags: [
                .bool("skip-confirmation", "y",
                      "The skipConfirmation determines whether the user is prompted for confirmation.\nIf set to true, the user is not prompted and a Yes response is assumed in all cases."),
                .bool("force", "Proceed even with validation errors."),
                .bool("purge", "Delete all Istio related sources for all versions"),
                CobraFlag("revision", "r", "Target control plane revision for the command."),
                CobraFlag("filename", "f", "The filename of the IstioOperator CR."),
            ],
            run: { invocation in
                try await UninstallOptions(invocation).run(ifTheReleaseHas: experimental ? .experimentalUninstallCommand : .uninstallCommand)
            })
        command.hiddenInherited = ["namespace", "istioNamespace"]
        return command
    }
}
