import Foundation
import JSON
import Kubernetes
import Istio

/// `istioctl x revision` (1.10+): `list` shows each installed control-plane revision with its tags,
/// its `installed-state` IstioOperator, profile and components; `tag` manages revision tags.
enum RevisionCommand {
    /// `istioctl x revision` with `list`, and `tag` in 1.10 (`istioctl/cmd/revision.go@1.10.0`).
    static func command(_ version: IstioVersion) -> CobraCommand {
        var list = CobraCommand(
            "list", short: "Show list of control plane and gateway revisions that are currently installed in cluster",
            run: { invocation in try await RevisionList(output: invocation.flags.string("output")).run() })
        list.args = { args throws(IstioctlFailure) in }
        var group = CobraCommand(
            "revision", aliases: ["rev"], short: "Provide insight into various revisions (istiod, gateways) installed in the cluster",
            persistentFlags: [
                .bool("verbose", "v", "Enable verbose output"),
                CobraFlag("output", "o", default: "table", "Output format for revision description (available formats: table,json)"),
            ],
            commands: [list])
        if version.has(.experimentalTagCommand) { group.commands.append(TagCommands.group(version)) }
        if version.has(.revisionDescribeCommand) { group.commands.append(RevisionDescribe.command(version)) }
        return group
    }
}

struct RevisionList {
    var output = "table"

    func run() async throws {
        let client = try await KubeconfigLocator.connect(IstioctlEnvironment.current)
        let injectors = try await RevisionTags.revisions(client)
        let tags = try await RevisionTags.configurations(client)
        let operators = try await client.list(.istioOperators, namespace: "istio-system")
        let deployments = try await client.list(.deployments, namespace: "istio-system")
        var rows: [[String]] = []
        var json: [JSONValue] = []
        for revision in injectors.keys.sorted() {
            let revisionTags = tags.filter { $0.labels["istio.io/rev"] == revision }.compactMap { $0.labels["istio.io/tag"] }.sorted()
            let iop = operators.first { ($0.spec["revision"]?.stringValue ?? "default") == revision }
            let profile = iop?.spec["profile"]?.stringValue ?? "default"
            // 1.6 stamped the revision on istiod only; its gateways count for the revision they serve.
            var components = deployments.filter { d in
                (d.labels["istio.io/rev"] ?? (d.labels["app"] == "istiod" ? "default" : Self.servedRevision(d))) == revision
            }
                .compactMap { d -> String? in
                    switch d.labels["operator.istio.io/component"] {
                    case "Pilot": "istiod"
                    case "IngressGateways": "ingress:\(d.name)"
                    case "EgressGateways": "egress:\(d.name)"
                    default: nil
                    }
                }
            if iop != nil { components.insert("base", at: 0) }
            rows.append([
                revision, revisionTags.isEmpty ? "<no-tag>" : revisionTags.joined(separator: ","),
                iop.map { "istio-system/\($0.name)" } ?? "<no-iop>", profile, components.joined(separator: ","),
            ])
            json.append([
                "revision": .string(revision), "tags": .array(revisionTags.map { .string($0) }),
                "istioOperatorCRs": .array(iop.map { [.string("istio-system/\($0.name)")] } ?? []),
                "profile": .string(profile), "components": .array(components.map { .string($0) }),
            ])
        }
        if output == "json" {
            Console.out(JSONValue.array(json).canonicalJSON)
        } else {
            Console.out(TabWriter.format([["REVISION", "TAG", "ISTIO-OPERATOR-CR", "PROFILE", "REQD-COMPONENTS"]] + rows, padding: 3))
        }
    }

    /// The revision a gateway's proxy reaches (its `CA_ADDR`).
    static func servedRevision(_ deployment: KubeObject) -> String? {
        let containers = deployment.spec[path: ["template", "spec", "containers"]]?.arrayValue ?? []
        let env = containers.first?["env"]?.arrayValue ?? []
        guard let address = env.first(where: { $0["name"] == "CA_ADDR" })?["value"]?.stringValue else { return nil }
        return InjectorWebhook.revision(ofService: String(address.split(separator: ".").first ?? ""))
    }
}
