@testable import Istioctl
import Istio
import Testing

/// istioctl's command line per release, decided without a cluster: cobra's command lookup, pflag's
/// parsing and error texts, istioctl's exit codes (`istioctl/cmd/sysexits.go`: a parse error or
/// unknown command is `ExitIncorrectUsage`, 64) and cobra's help layout.
struct CobraCommandTreeTests {
    static let releases = ["1.5.0", "1.6.0", "1.10.0", "1.20.0", "1.30.0"]

    func resolve(_ version: String, _ args: String...) throws -> CobraRunner.Outcome {
        CobraRunner.resolve(root: IstioctlCommandTree.root(try #require(IstioVersion(version))), arguments: args)
    }

    func answer(_ outcome: CobraRunner.Outcome) -> (stdout: String, stderr: String, code: Int32)? {
        if case .answer(let out, let err, let code) = outcome { return (out, err, code) }
        return nil
    }

    func invocation(_ outcome: CobraRunner.Outcome) -> CobraInvocation? {
        if case .run(_, let invocation) = outcome { return invocation }
        return nil
    }

    @Test(arguments: releases)
    func unknownCommandIsCobrasErrorWithTheUsageExitCode(version: String) throws {
        let a = try #require(answer(try resolve(version, "frobnicate")))
        #expect(a.stderr == "Error: unknown command \"frobnicate\" for \"istioctl\"\nRun 'istioctl --help' for usage.\n")
        #expect(a.code == 64 && a.stdout.isEmpty)
    }

    @Test(arguments: releases)
    func unknownFlagsArePflagsErrors(version: String) throws {
        let long = try #require(answer(try resolve(version, "version", "--frobnicate")))
        #expect(long.stderr == "Error: unknown flag: --frobnicate\n" && long.code == 64)
        let short = try #require(answer(try resolve(version, "proxy-status", "-z")))
        #expect(short.stderr == "Error: unknown shorthand flag: 'z' in -z\n" && short.code == 64)
        let missing = try #require(answer(try resolve(version, "version", "--output")))
        #expect(missing.stderr == "Error: flag needs an argument: --output\n" && missing.code == 64)
        let bad = try #require(answer(try resolve(version, "version", "--short=maybe")))
        #expect(bad.stderr == "Error: invalid argument \"maybe\" for \"-s, --short\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax\n")
    }

    @Test func suggestionsFollowCobrasDistanceAndPrefixRules() throws {
        let a = try #require(answer(try resolve("1.20.0", "verison")))
        #expect(a.stderr == "Error: unknown command \"verison\" for \"istioctl\"\n\nDid you mean this?\n\tversion\n\nRun 'istioctl --help' for usage.\n")
        let prefix = try #require(answer(try resolve("1.20.0", "pro")))
        #expect(prefix.stderr.contains("Did you mean this?\n\tproxy-config\n\tproxy-status\n"), "\(prefix.stderr)")
    }

    @Test func commandsExistOnlyInTheirReleases() throws {
        #expect(answer(try resolve("1.5.0", "install"))?.code == 64)
        #expect(invocation(try resolve("1.6.0", "install", "-y")) != nil)
        #expect(invocation(try resolve("1.5.0", "manifest", "apply", "-y")) != nil)
        // A group's unknown word is not an error: cobra shows the group's help (exit 0).
        let gone = try #require(answer(try resolve("1.10.0", "manifest", "apply")))
        #expect(gone.code == 0 && gone.stdout.contains("istioctl manifest [command]"))
        #expect(answer(try resolve("1.10.0", "tag", "list"))?.code == 64)
        #expect(invocation(try resolve("1.11.0", "tag", "list")) != nil)
        #expect(invocation(try resolve("1.10.0", "x", "revision", "tag", "list")) != nil)
        #expect(invocation(try resolve("1.10.0", "x", "precheck")) != nil)
        let old = try #require(answer(try resolve("1.10.0", "x", "frobnicate")))
        #expect(old.code == 0 && old.stdout.hasPrefix("Experimental commands that may be modified or deprecated\n\nUsage:\n  istioctl experimental [command]\n\nAliases:\n  experimental, x, exp\n"), "\(old.stdout)")
        #expect(invocation(try resolve("1.20.0", "analyze")) != nil)
    }

    @Test func flagsParseAsPflagDoesAnywhereOnTheLine() throws {
        let ps = try #require(invocation(try resolve("1.20.0", "-nshop", "ps")))
        #expect(ps.path.commandPath == "istioctl proxy-status" && ps.flags.string("namespace") == "shop")
        let pc = try #require(invocation(try resolve("1.6.0", "pc", "endpoints", "details-v1.default", "--cluster=xds-grpc", "-ojson")))
        #expect(pc.args == ["details-v1.default"] && pc.flags.string("cluster") == "xds-grpc" && pc.flags.string("output") == "json")
        let v = try #require(invocation(try resolve("1.6.0", "version", "--short=false", "--remote", "-c", "/tmp/kc")))
        #expect(!v.flags.bool("short") && v.flags.bool("remote") && v.flags.optional("kubeconfig") == "/tmp/kc")
        #expect(try #require(invocation(try resolve("1.6.0", "version"))).flags.bool("short"))
        let sets = try #require(invocation(try resolve("1.20.0", "install", "-s", "profile=demo", "--set=revision=a", "-y", "-f", "a.yaml,b.yaml")))
        #expect(sets.flags.strings("set") == ["profile=demo", "revision=a"] && sets.flags.strings("filename") == ["a.yaml", "b.yaml"])
        let rest = try #require(invocation(try resolve("1.20.0", "ps", "--", "-n")))
        #expect(rest.args == ["-n"])
    }

    @Test func argumentRulesAreTheCommands() throws {
        let extra = try #require(answer(try resolve("1.20.0", "install", "extra")))
        #expect(extra.stderr == "Error: accepts 0 arg(s), received 1\n" && extra.code == 1)
        let tag = try #require(answer(try resolve("1.20.0", "tag", "set")))
        #expect(tag.stderr == "Error: must provide a tag for modification\n" && tag.code == 1)
        // The tag group runs (it prints its help), so a stray word is its own argument error, not cobra's.
        let stray = try #require(answer(try resolve("1.20.0", "tag", "frob")))
        #expect(stray.stderr == "Error: unknown subcommand \"frob\"\n" && stray.code == 1)
    }

    @Test func installPromptFollowsTheRelease() throws {
        let components = ["Istio core", "Istiod", "Ingress gateways"]
        func ask(_ v: String) throws -> String { InstallPrompt(version: try #require(IstioVersion(v))).question(profile: "default", components: components) }
        #expect(try ask("1.6.0") == "This will install the default Istio profile into the cluster. Proceed? (y/N)")
        #expect(try ask("1.8.0") == "This will install the Istio profile into the cluster. Proceed? (y/N)")
        #expect(try ask("1.10.0") == "This will install the Istio 1.10.0 default profile with [\"Istio core\" \"Istiod\" \"Ingress gateways\"] components into the cluster. Proceed? (y/N)")
        #expect(try ask("1.20.0") == "This will install the Istio 1.20.0 \"default\" profile (with components: Istio core, Istiod, and Ingress gateways) into the cluster. Proceed? (y/N)")
        #expect(try ask("1.24.0") == "This will install the Istio 1.24.0 profile \"default\" into the cluster. Proceed? (y/N)")
        let old = InstallPrompt(version: .v1_6_0), new = InstallPrompt(version: IstioVersion(1, 8, 0))
        #expect(!old.asks(filenames: [], sets: ["revision=canary"], skipConfirmation: false, dryRun: false))
        #expect(new.asks(filenames: [], sets: ["revision=canary"], skipConfirmation: false, dryRun: false))
        #expect(!new.asks(filenames: [], sets: [], skipConfirmation: false, dryRun: true))
    }

    @Test func helpUsesCobrasLayout() throws {
        let root = try #require(answer(try resolve("1.20.0", "--help")))
        #expect(root.code == 0)
        #expect(root.stdout.hasPrefix("Istio configuration command line utility for service operators to\ndebug and diagnose their Istio mesh.\n\nUsage:\n  istioctl [command]\n\nAvailable Commands:\n"))
        // Names padded to the longest (at least 11), one space before the Short text.
        #expect(root.stdout.contains("\n  experimental Experimental commands that may be modified or deprecated\n"))
        #expect(root.stdout.contains("\n  help         Help about any command\n"))
        #expect(root.stdout.contains("\n  completion   Generate the autocompletion script for the specified shell\n"))
        #expect(root.stdout.contains("\n\nFlags:\n      --context string          Kubernetes configuration context\n  -h, --help                    help for istioctl\n"), "\(root.stdout)")
        #expect(root.stdout.hasSuffix("\n\nUse \"istioctl [command] --help\" for more information about a command.\n"))
        #expect(!root.stdout.contains("istio-version"))

        let old = try #require(answer(try resolve("1.6.0", "-h")))
        #expect(old.stdout.contains("\n  -n, --namespace string        Config namespace\n"), "\(old.stdout)")
        #expect(!old.stdout.contains("completion"))

        let ps = try #require(answer(try resolve("1.6.0", "ps", "--help")))
        #expect(ps.stdout.hasPrefix("\nRetrieves last sent and last acknowledged xDS sync from Pilot to each Envoy in the mesh\n\nUsage:\n  istioctl proxy-status [<pod-name[.namespace]>] [flags]\n\nAliases:\n  proxy-status, ps\n\nExamples:\n"), "\(ps.stdout)")
        #expect(ps.stdout.contains("\n\nFlags:\n  -h, --help              help for proxy-status\n      --revision string   control plane revision\n\nGlobal Flags:\n"), "\(ps.stdout)")
        let unknown = try #require(invocation(try resolve("1.6.0", "help", "nope")))
        #expect(unknown.path.commandPath == "istioctl help")
    }

    @Test func flagUsagesAlignAsPflagDoes() {
        let flags = [
            CobraFlag("output", "o", default: "short", "Output format"), .bool("verbose", "v", "Verbose"),
            CobraFlag("readiness-timeout", nil, .duration, default: "5m0s", "Wait"), CobraFlag("set", "s", .stringArray, "Override\nmore"),
        ]
        #expect(flags.flagUsages == """
              -o, --output string                Output format (default "short")
                  --readiness-timeout duration   Wait (default 5m0s)
              -s, --set stringArray              Override
                                                 more
              -v, --verbose                      Verbose
            """)
    }
}
