import JSON
import Kubernetes
import Istio

/// `istioctl analyze` against the live cluster (`istioctl/cmd/analyze.go@1.6.0`,
/// `istioctl/pkg/analyze/analyze.go@1.20.0`): the messages of `InjectionAnalyzers` for the
/// selected namespace (`-n`, else `default`; `-A` for all), cluster-scoped resources (webhook
/// configurations) always included; `✔ No validation issues found when analyzing namespace: X.` on stderr when there
/// are none; exit 79 (`ExitAnalyzerFoundIssues`) when one reaches the failure threshold.
struct AnalyzeCommand {
    var namespace: String
    var allNamespaces: Bool
    var output: String
    var failureThreshold: AnalysisMessage.Level
    var outputThreshold: AnalysisMessage.Level
    var suppress: [String]

    static let foundIssuesExitCode: Int32 = 79

    static func command(_ version: IstioVersion) -> CobraCommand {
        let modern = version.has(.analyzeFormattingPackage)
        return CobraCommand(
            "analyze <file>...", short: "Analyze Istio configuration and print validation messages",
            persistentFlags: [
                .bool("use-kube", "k", default: true, "Use live Kubernetes cluster for analysis. Set --use-kube=false to analyze files only."),
                .bool("all-namespaces", "A", "Analyze all namespaces"),
                CobraFlag("output", "o", default: "log", "Output format: one of [log json yaml]"),
                CobraFlag("failure-threshold", default: modern ? "Error" : "Warning",
                          "The severity level of analysis at which to set a non-zero exit code. Valid values: [Info Warning Error]"),
                CobraFlag("output-threshold", default: "Info",
                          "The severity level of analysis at which to display messages. Valid values: [Info Warning Error]"),
                CobraFlag("suppress", "S", .stringArray,
                          "Suppress reporting a message code on a specific resource. Values are supplied in the form <code>=<resource> (e.g. '--suppress \"IST0102=DestinationRule primary-dr.default\"'). Can be repeated. You can include the wildcard character '*' to support a partial match (e.g. '--suppress \"IST0102=DestinationRule *.default\" )."),
                .bool("verbose", "v", "Enable verbose output"),
            ],
            run: { invocation in
                let f = invocation.flags
                if !invocation.args.isEmpty {
                    throw IstioctlFailure("analyzing files is not emulated by xdsemu: run analyze against the cluster only")
                }
                guard f.bool("use-kube") else { throw IstioctlFailure("analyzing files is not emulated by xdsemu: --use-kube=false has nothing to read") }
                guard let failure = AnalysisMessage.Level(flag: f.string("failure-threshold")),
                    let shown = AnalysisMessage.Level(flag: f.string("output-threshold"))
                else {
                    throw IstioctlFailure("invalid threshold: valid values are [Info Warning Error]")
                }
                let output = f.string("output")
                guard output == "log" || output == "json" && version.has(.analyzeFormattingPackage) else {
                    throw IstioctlFailure("only the log and (from 1.8) json output formats are emulated by xdsemu")
                }
                try await AnalyzeCommand(
                    namespace: f.namespaceOrDefault, allNamespaces: f.bool("all-namespaces"), output: output,
                    failureThreshold: failure, outputThreshold: shown, suppress: f.strings("suppress")
                ).run()
            })
    }

    func run() async throws {
        let env = IstioctlEnvironment.current
        let client = try await KubeconfigLocator.connect(env)
        if !allNamespaces, try await client.get(.namespaces, namespace) == nil {
            throw IstioctlFailure("namespace \(namespace.goQuoted) not found")
        }
        let analyzers = InjectionAnalyzers(
            version: env.version, namespaces: try await client.list(.namespaces), pods: try await client.list(.pods),
            configMaps: try await client.list(.configMaps, namespace: "istio-system"),
            webhookConfigurations: try await client.list(.mutatingWebhookConfigurations))
        let all = AnalysisMessage.sorted(select(analyzers.messages))
        let shown = all.filter { $0.level <= outputThreshold }
        let target = allNamespaces ? "all namespaces" : "namespace: \(namespace)"
        let docs = env.version.has(.analyzeFormattingPackage)
            ? "https://istio.io/v\(env.version.minorString)/docs/reference/config/analysis" : "https://istio.io/docs/reference/config/analysis"
        if output == "json" {
            // json.MarshalIndent(messages, "", "\t"): each message's map with sorted keys; no messages is `null`.
            Console.out(shown.isEmpty ? "null" : JSONValue.array(shown.map { $0.json(env.version, docs: docs) }).goIndentedJSON(indent: "\t"))
        } else if env.version.has(.analyzeFormattingPackage) || !shown.isEmpty {
            // formatting.Print joins the messages; the command prints that with a newline, even when empty.
            Console.out(shown.map { $0.rendered(env.version) }.joined(separator: "\n"))
        }
        if shown.isEmpty { Console.err("✔ No validation issues found when analyzing \(target).") }
        // Only the log format sets the exit code.
        if output == "log", all.contains(where: { $0.level <= failureThreshold }) {
            throw IstioctlFailure(
                "Analyzers found issues when analyzing \(target).\nSee \(docs) for more information about causes and resolutions.",
                exitCode: Self.foundIssuesExitCode)
        }
    }

    /// The selected namespace's messages plus cluster-scoped ones (`filterMessages`), minus `--suppress CODE=Kind name`.
    func select(_ messages: [AnalysisMessage]) -> [AnalysisMessage] {
        let env = IstioctlEnvironment.current
        return messages.filter { m in
            // A Namespace's origin namespace is its own name (kube `Origin.Namespace`).
            let scope = m.kind == "Namespace" ? m.name : m.namespace
            if !allNamespaces, !scope.isEmpty, scope != namespace { return false }
            return !suppress.contains { rule in
                let parts = rule.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2, parts[0] == m.code else { return false }
                return Self.wildcard(parts[1], matches: m.origin(env.version))
            }
        }
    }

    /// `*` matches any run of characters.
    static func wildcard(_ pattern: String, matches text: String) -> Bool {
        let pieces = pattern.split(separator: "*", omittingEmptySubsequences: false).map(String.init)
        guard pieces.count > 1 else { return pattern == text }
        var rest = Substring(text)
        guard rest.hasPrefix(pieces[0]) else { return false }
        rest = rest.dropFirst(pieces[0].count)
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let r = rest.range(of: piece) else { return false }
            rest = rest[r.upperBound...]
        }
        return rest.hasSuffix(pieces.last!)
    }
}
