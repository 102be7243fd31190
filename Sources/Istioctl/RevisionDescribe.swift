import Foundation
import JSON
import Kubernetes
import Istio

/// `istioctl x revision describe REV` (1.10–1.20; `istioctl/cmd/revision.go@1.10.0`,
/// `istioctl/pkg/revision/revision.go@1.20.0`), its default table sections: the revision's
/// `installed-state` IstioOperator (enabled components and the values it sets beyond its profile),
/// the injector configurations labelled with the revision (tags included), and the Running
/// control-plane and gateway pods of the revision. `-v` (the pods section) and `-o json` are not
/// emulated.
struct RevisionDescribe {
    var revision: String

    static func command(_ version: IstioVersion) -> CobraCommand {
        CobraCommand(
            "describe",
            short: "Show information about a revision, including customizations, istiod version and which pods/gateways are using it.",
            example: "  # View the details of a revision named 'canary'\n  istioctl x revision describe canary\n",
            args: { args throws(IstioctlFailure) in
                if args.isEmpty { throw IstioctlFailure("revision must be specified") }
                if args.count > 1 { throw IstioctlFailure("exactly 1 revision should be specified") }
            },
            run: { invocation in
                let f = invocation.flags
                guard ["table", "json"].contains(f.string("output")) else {
                    throw IstioctlFailure("unknown format \(f.string("output")). It should be map[string]bool{\"json\":true, \"table\":true}")
                }
                if f.string("output") == "json" || f.bool("verbose") {
                    throw IstioctlFailure("revision describe -o json and -v are not emulated by xdsemu")
                }
                try await RevisionDescribe(revision: invocation.args[0]).run()
            })
    }

    func run() async throws {
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        let operators = try await client.list(.istioOperators, namespace: "istio-system")
            .filter { ($0.spec["revision"]?.stringValue ?? "").isEmpty ? revision == "default" : $0.spec["revision"]?.stringValue == revision }
        let webhooks = try await client.list(.mutatingWebhookConfigurations).filter { $0.labels["istio.io/rev"] == revision }
        // The component's pods, found through its Deployments (which carry the operator's labels).
        func pods(_ component: String) async throws -> [KubeObject] {
            var found: [KubeObject] = []
            for d in try await client.list(.deployments, namespace: "istio-system", labelSelector: "operator.istio.io/component=\(component),istio.io/rev=\(revision)") {
                found += try await client.pods(of: d).filter { $0.status["phase"]?.stringValue == "Running" }
            }
            return found
        }
        let istiods = try await pods("Pilot"), ingress = try await pods("IngressGateways"), egress = try await pods("EgressGateways")
        guard !(operators.isEmpty && webhooks.isEmpty && istiods.isEmpty && ingress.isEmpty && egress.isEmpty) else {
            throw IstioctlFailure("revision \(revision) is not present")
        }
        let now = Timestamp(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        for line in Self.render(operators: operators, webhooks: webhooks, istiods: istiods, ingress: ingress, egress: egress, now: now, version: env.version) {
            Console.out(line)
        }
    }

    /// The IstioOperator's user-facing component names (`base`, `istiod`, `ingress:NAME`, `egress:NAME`).
    static func components(_ iop: KubeObject, version: IstioVersion) -> [String] {
        guard let spec = try? IstioInstallSpec(operatorSpec: iop.spec, version: version) else { return [] }
        return IstioManifest(spec).components.compactMap { c in
            switch c.component {
            case .base: "base"
            case .pilot: "istiod"
            case .ingressGateways: "ingress:istio-ingressgateway"
            case .egressGateways: "egress:istio-egressgateway"
            case .addons: nil
            }
        }
    }

    /// The recorded spec's leaves other than the profile, `path=value`, sorted.
    static func customizations(_ spec: JSONValue, prefix: String = "") -> [String] {
        guard case .object(let o) = spec else { return prefix.isEmpty ? [] : ["\(prefix)=\(spec.stringValue ?? spec.canonicalJSON)"] }
        return o.keys.filter { !(prefix.isEmpty && $0 == "profile") }.flatMap { key in
            customizations(o[key]!, prefix: prefix.isEmpty ? key : "\(prefix).\(key)")
        }.sorted()
    }

    static func render(
        operators: [KubeObject], webhooks: [KubeObject], istiods: [KubeObject], ingress: [KubeObject], egress: [KubeObject],
        now: Timestamp, version: IstioVersion
    ) -> [String] {
        var out = ["", "ISTIO-OPERATOR CUSTOM RESOURCE: (\(operators.count))"]
        if operators.isEmpty {
            out.append(webhooks.isEmpty ? "No CRs found." : "There are webhooks and Istiod could be external to the cluster")
        }
        var enabled: [String] = []
        for (i, iop) in operators.enumerated() {
            let components = Self.components(iop, version: version)
            enabled += components
            out.append("\(i + 1). \(iop.namespace)/\(iop.name)")
            out.append("  COMPONENTS:")
            out += components.isEmpty ? ["  no enabled components"] : components.map { "  - \($0)" }
            out.append("  CUSTOMIZATIONS:")
            let custom = Self.customizations(iop.spec)
            out += custom.isEmpty ? ["  <no-customizations>"] : custom.map { "  - \($0)" }
        }
        out += ["", "MUTATING WEBHOOK CONFIGURATIONS: (\(webhooks.count))"]
        if webhooks.isEmpty {
            out.append("No mutating webhook found for this revision. Something could be wrong with installation")
        } else {
            out += TabWriter.format([["WEBHOOK", "TAG"]] + webhooks.map { [$0.name, $0.labels["istio.io/tag"] ?? "<no-tag>"] }, padding: 1)
                .split(separator: "\n").map(String.init)
        }
        out += ["", "CONTROL PLANE PODS (ISTIOD): (\(istiods.count))"]
        if istiods.isEmpty {
            out.append(
                webhooks.isEmpty
                    ? "No Istiod or the webhook found in this cluster for the revision. Something could be wrong"
                    : "No Istiod found in this cluster for the revision. However there are webhooks. It is possible that Istiod is external to this cluster or perhaps it is not uninstalled properly")
        } else {
            out += podTable(istiods, now: now)
        }
        for (title, kind, pods) in [("INGRESS GATEWAYS", "Ingress", ingress), ("EGRESS GATEWAYS", "Egress", egress)] {
            let isEnabled = enabled.contains { $0.hasPrefix(kind.lowercased() + ":") }
            out += ["", "\(title): (\(pods.count))"]
            if pods.isEmpty {
                out.append(
                    isEnabled
                        ? "\(kind) gateway is enabled for this revision. However there are no such pods. It could be that it is replaced by \(kind.lowercased())-gateway from another revision (as it is still upgraded in-place) or it could be some issue with installation"
                        : "\(kind) gateway is disabled for this revision")
                continue
            }
            if !isEnabled { out.append("WARNING: \(kind) gateway is not enabled for this revision.") }
            out += podTable(pods, now: now)
        }
        return out
    }

    static func podTable(_ pods: [KubeObject], now: Timestamp) -> [String] {
        let rows = pods.sorted { $0.name < $1.name }.map { p in
            [p.namespace, p.name, p.status["podIP"]?.stringValue ?? "", p.status["phase"]?.stringValue ?? "", p.metadata.creationTimestamp.age(at: now)]
        }
        return TabWriter.format([["NAMESPACE", "NAME", "ADDRESS", "STATUS", "AGE"]] + rows, padding: 1).split(separator: "\n").map(String.init)
    }
}
