import JSON
import Kubernetes
import Istio
import Yams

/// `istioctl manifest` (`operator/cmd/mesh/manifest.go@1.6.0`): `generate` prints the objects an
/// install would create, as YAML documents separated by `---`, rendered by `IstioManifest` for
/// the same `-f`/`--set`/`--revision` input `install` takes; `apply` (1.5–1.6) is `install` under
/// the manifest group.
enum ManifestCommand {
    static func command(_ version: IstioVersion) -> CobraCommand {
        var generateFlags = [
            CobraFlag("filename", "f", .stringSlice,
                      "Path to file containing IstioOperator custom resource\nThis flag can be specified multiple times to overlay multiple files. Multiple files are overlaid in left to right order."),
            CobraFlag("set", "s", .stringArray,
                      "Override an IstioOperator value, e.g. to choose a profile\n(--set profile=demo), enable or disable components (--set components.cni.enabled=true), or override Istio\nsettings (--set meshConfig.enableTracing=true). See documentation for more info:https://istio.io/v\(version.minorString)/docs/reference/config/istio.operator.v1alpha1/#IstioOperatorSpec"),
            .bool("force", "Proceed even with validation errors."),
        ]
        if version.has(.revisionFlag) { generateFlags.append(CobraFlag("revision", "r", "Target control plane revision for the command.")) }
        let generate = CobraCommand(
            "generate", short: "Generates an Istio install manifest",
            long: "The generate subcommand generates an Istio install manifest and outputs to the console by default.",
            persistentFlags: generateFlags, args: CobraCommand.exactArgs(0),
            run: { invocation in
                let f = invocation.flags
                try await generateManifest(files: f.strings("filename"), sets: f.strings("set"), revision: f.optional("revision"))
            })
        var group = CobraCommand(
            "manifest", short: "Commands related to Istio manifests", long: "The manifest command generates and diffs Istio manifests.",
            commands: [generate])
        if version.has(.manifestApplyCommand) { group.commands.append(InstallCommand.command(version, use: "apply")) }
        group.hiddenInherited = ["namespace", "istioNamespace"]
        return group
    }

    static func generateManifest(files: [String], sets: [String], revision: String?) async throws {
        let env = IstioctlEnvironment.current
        var sets = sets
        if let revision { sets.append("revision=\(revision)") }
        let operatorSpec: JSONValue
        do { operatorSpec = try IstioOperatorInput.spec(files: files, sets: sets) } catch { throw IstioctlFailure(error.description) }
        let spec: IstioInstallSpec
        do { spec = try IstioInstallSpec(operatorSpec: operatorSpec, version: env.version) } catch { throw IstioctlFailure(error.message) }
        let manifest = IstioManifest(spec)
        let objects = manifest.definitions + manifest.allObjects
        Console.out(try objects.map { try YAMLDocument.render(documentOrder($0)) }.joined(separator: "---\n"))
    }

    /// `apiVersion`, `kind`, `metadata`, then the rest, as the operator's manifests read.
    static func documentOrder(_ object: KubeObject) -> JSONValue {
        var ordered: JSONObject = ["apiVersion": .string(object.resource.apiVersion), "kind": .string(object.resource.kind), "metadata": object.metadata.json]
        for key in object.body.keys { ordered[key] = object.body[key] }
        return .object(ordered)
    }
}

/// One JSON value as a YAML document (keys in their JSON order), through Yams' emitter.
enum YAMLDocument {
    static func render(_ value: JSONValue) throws -> String {
        try Yams.serialize(node: node(value), indent: 2, width: -1, allowUnicode: true)
    }

    static func node(_ value: JSONValue) -> Node {
        switch value {
        case .null: return Node("null", Tag(.null))
        case .bool(let b): return Node(b ? "true" : "false", Tag(.bool))
        case .int(let i): return Node(String(i), Tag(.int))
        case .double(let d): return Node(String(d), Tag(.float))
        case .string(let s):
            // A string that would read back as something else (`true`, `1.5`, `""`) is quoted.
            let plain = Node(s, Tag(.implicit))
            if s.contains("\n") { return Node(s, Tag(.str), .literal) }
            if s.isEmpty || Resolver.default.resolveTag(of: plain) != .str { return Node(s, Tag(.str), .doubleQuoted) }
            return Node(s, Tag(.str), .plain)
        case .array(let items): return Node(items.map(node), Tag(.seq))
        case .object(let object): return Node(object.keys.map { (Node($0), node(object[$0]!)) }, Tag(.map))
        }
    }
}
