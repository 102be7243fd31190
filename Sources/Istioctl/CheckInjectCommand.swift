import Foundation
import JSON
import Kubernetes
import Istio

/// `istioctl x check-inject` (1.17+): for a pod (or a Deployment's pod template, or labels given
/// with `-l`), which injector configuration would inject it and why, one row per configuration.
struct CheckInjectCommand {
    var target: String?
    var namespace = "default"
    var labels: String?

    /// `istioctl/pkg/checkinject/checkinject.go@1.20.0`.
    static func command(_ version: IstioVersion) -> CobraCommand {
        CobraCommand(
            "check-inject [<type>/]<name>[.<namespace>]",
            short: "Check the injection status or inject-ability of a given resource, explains why it is (or will be) injected or not",
            persistentFlags: [CobraFlag("labels", "l", "Check namespace and label pairs injection status, split multiple labels by commas")],
            run: { invocation in
                let labels = invocation.flags.optional("labels")
                if invocation.args.isEmpty && (labels ?? "").isEmpty || invocation.args.count > 1 {
                    Console.write(invocation.path.usage + "\n", error: true)
                    throw IstioctlFailure(
                        "check-inject requires only [<resource-type>/]<resource-name>[.<namespace>], or specify labels flag")
                }
                let command = CheckInjectCommand(target: invocation.args.first, namespace: invocation.flags.namespaceOrDefault, labels: labels)
                try await command.run()
            })
    }

    func run() async throws {
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        var namespace = self.namespace
        var podLabels: [String: String] = [:]
        var podAnnotations: [String: String] = [:]
        if let target {
            var kind = "pod", name = target
            if let slash = target.firstIndex(of: "/") {
                kind = String(target[..<slash])
                name = String(target[target.index(after: slash)...])
            }
            if let dot = name.firstIndex(of: ".") {
                namespace = String(name[name.index(after: dot)...])
                name = String(name[..<dot])
            }
            switch kind {
            case "pod", "pods", "po":
                guard let pod = try await client.get(.pods, namespace: namespace, name) else {
                    throw IstioctlFailure("pods \"\(name)\" not found")
                }
                podLabels = pod.labels
                podAnnotations = pod.metadata.annotations
                podAnnotations["sidecar.istio.io/status"] = nil  // judge the pod as if new
            case "deployment", "deployments", "deploy":
                guard let d = try await client.get(.deployments, namespace: namespace, name) else {
                    throw IstioctlFailure("deployments.apps \"\(name)\" not found")
                }
                podLabels = d.spec[path: ["template", "metadata", "labels"]]?.stringMap ?? [:]
                podAnnotations = d.spec[path: ["template", "metadata", "annotations"]]?.stringMap ?? [:]
            default:
                throw IstioctlFailure("unsupported resource type \"\(kind)\"")
            }
        } else if let labels {
            for pair in labels.split(separator: ",") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                if kv.count == 2 { podLabels[String(kv[0])] = String(kv[1]) }
            }
        }
        let ns = try await client.get(.namespaces, namespace)
        let configurations = try await client.list(.mutatingWebhookConfigurations)
        let versions = Dictionary(
            configurations.compactMap { c -> (String, IstioVersion)? in
                guard c.labels["istio.io/tag"] == nil, let v = c.labels["operator.istio.io/version"].flatMap(IstioVersion.init) else { return nil }
                return (c.labels["istio.io/rev"] ?? "default", v)
            }, uniquingKeysWith: { a, _ in a })
        let hooks = configurations.flatMap { InjectorWebhook.webhooks(of: $0) { versions[$0] ?? env.version } }
        let rows = InjectionDecision.perConfiguration(
            namespace: namespace, namespaceLabels: ns?.labels ?? [:], podLabels: podLabels, podAnnotations: podAnnotations,
            webhooks: hooks)
        if rows.isEmpty {
            Console.out("No Istio injector webhook is installed")
            return
        }
        Console.out(
            TabWriter.format(
                [["WEBHOOK", "REVISION", "INJECTED", "REASON"]] + rows.map { [$0.configuration, $0.revision, $0.injects ? "✔" : "✘", $0.reason] },
                padding: 2))
    }
}
