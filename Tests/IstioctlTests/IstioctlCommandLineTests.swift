import Foundation
import Istio
import Kubernetes
import TestKit
import Testing

/// The release-specific command line through each release's `istioctl` shim against a live
/// emulator (Istio 1.5.4 and bookinfo in `default`), with the real kubectl changing the world
/// between runs: the error texts and exit codes a script sees, and the upgrade commands' rules.
@Suite(.serialized)
struct IstioctlCommandLineTests {
    @Test func unknownCommandsAndFlagsExitWithTheUsageCode() async throws {
        let h = try await KubectlHarness.startLive()
        for version in ["1.5.0", "1.6.0", "1.10.0", "1.20.0", "1.30.0"] {
            let unknown = try await h.istioctl(version, "frobnicate")
            #expect(unknown.status == 64, "\(version) \(unknown)")
            #expect(unknown.stderr == "Error: unknown command \"frobnicate\" for \"istioctl\"\nRun 'istioctl --help' for usage.\n")
            let flag = try await h.istioctl(version, "proxy-status", "--frobnicate")
            #expect(flag.status == 64 && flag.stderr == "Error: unknown flag: --frobnicate\n", "\(version) \(flag)")
            let help = try await h.istioctl(version, "version", "--help")
            #expect(help.status == 0 && help.stdout.hasPrefix("Prints out build version information\n\nUsage:\n  istioctl version [flags]\n\nFlags:\n"), "\(help)")
            #expect(help.stdout.contains("\n\nGlobal Flags:\n"), "\(help)")
        }
        let install = try await h.istioctl("1.5.0", "install")
        #expect(install.status == 64 && install.stderr.hasPrefix("Error: unknown command \"install\" for \"istioctl\""), "\(install)")
        await h.stop()
    }

    @Test func analyzeReportsANamespaceUntilItIsLabelled() async throws {
        let h = try await KubectlHarness.startLive()
        _ = try await h.kubectl("create", "namespace", "shop")
        // Created before the namespace is labelled, so it runs without a proxy.
        let bare = try await h.kubectl("run", "bare", "-n", "shop", "--image=curlimages/curl")
        #expect(bare.status == 0, "\(bare)")
        // 1.6: IST0102 is a warning, and warnings fail the run (exit 79).
        let old = try await h.istioctl("1.6.0", "analyze", "-n", "shop")
        #expect(old.status == 79, "\(old)")
        #expect(old.stdout == "Warning [IST0102] (Namespace shop) The namespace is not enabled for Istio injection. Run 'kubectl label namespace shop istio-injection=enabled' to enable it, or 'kubectl label namespace shop istio-injection=disabled' to explicitly mark it as not needing injection\n", "\(old)")
        #expect(old.stderr == "Error: Analyzers found issues when analyzing namespace: shop.\nSee https://istio.io/docs/reference/config/analysis for more information about causes and resolutions.\n")
        // 1.20: an Info, which does not fail the run.
        let new = try await h.istioctl("1.20.0", "analyze", "-n", "shop")
        #expect(new.status == 0 && new.stdout.hasPrefix("Info [IST0102] (Namespace shop) "), "\(new)")
        let json = try await h.istioctl("1.20.0", "analyze", "-n", "shop", "-o", "json")
        #expect(json.status == 0, "\(json)")
        #expect(json.stdout.hasPrefix("[\n\t{\n\t\t\"code\": \"IST0102\",\n\t\t\"documentationUrl\": \"https://istio.io/v1.20/docs/reference/config/analysis/ist0102/?ref=istioctl-analyze\",\n\t\t\"level\": \"Info\",\n"), "\(json)")
        #expect(json.stdout.hasSuffix("\t\t\"origin\": \"Namespace shop\"\n\t}\n]\n"), "\(json)")
        // Another namespace's analysis does not report shop.
        let other = try await h.istioctl("1.20.0", "analyze")
        #expect(!other.stdout.contains("Namespace shop"), "\(other)")

        _ = try await h.kubectl("label", "namespace", "shop", "istio-injection=enabled")
        // Labelled: IST0102 is gone, and the pod that escaped injection is reported (IST0103).
        let missing = try await h.istioctl("1.20.0", "analyze", "-n", "shop")
        #expect(missing.status == 0, "\(missing)")
        #expect(missing.stdout == "Warning [IST0103] (Pod shop/bare) The pod shop/bare is missing the Istio proxy. This can often be resolved by restarting or redeploying the workload.\n", "\(missing)")
        let missingOld = try await h.istioctl("1.6.0", "analyze", "-n", "shop")
        #expect(missingOld.status == 79 && missingOld.stdout.hasPrefix("Warning [IST0103] (Pod bare.shop) The pod is missing the Istio proxy."), "\(missingOld)")

        _ = try await h.kubectl("delete", "pod", "bare", "-n", "shop", "--wait=false")
        let clean = try await h.istioctl("1.6.0", "analyze", "-n", "shop")
        #expect(clean.status == 0 && clean.stdout.isEmpty, "\(clean)")
        #expect(clean.stderr == "✔ No validation issues found when analyzing namespace: shop.\n")
        let cleanNew = try await h.istioctl("1.20.0", "analyze", "-n", "shop")
        #expect(cleanNew.status == 0 && cleanNew.stdout == "\n", "\(cleanNew)")
        await h.stop()
    }

    @Test func precheckProxyStatusAndDryRun() async throws {
        let h = try await KubectlHarness.startLive()
        let precheck = try await h.istioctl("1.20.0", "x", "precheck")
        #expect(precheck.status == 0, "\(precheck)")
        #expect(precheck.stderr == "✔ No issues found when checking the cluster. Istio is safe to install or upgrade!\n  To get started, check out https://istio.io/latest/docs/setup/getting-started/\n", "\(precheck)")
        let later = try await h.istioctl("1.30.0", "x", "precheck")
        #expect(later.stderr.hasSuffix("getting-started/.\n"), "\(later)")

        let pods = try await h.kubectl("get", "pods", "-n", "default", "-l", "app=details", "-o", "name")
        let details = try #require(pods.lines.first?.split(separator: "/").last.map(String.init))
        // The proxy has acknowledged istiod's clusters once it is connected and settled.
        try await eventually(timeout: .seconds(20), pollingEvery: .milliseconds(200)) {
            try await h.istioctl("1.6.0", "proxy-status", "\(details).default").lines == ["Clusters Match", "Listeners Match", "Routes Match"]
        }
        let typed = try await h.istioctl("1.20.0", "proxy-status", "deployment/details-v1", "-n", "default")
        #expect(typed.lines == ["Clusters Match", "Listeners Match", "Routes Match"], "\(typed)")
        let untyped = try await h.istioctl("1.6.0", "proxy-status", "deployment/details-v1")
        #expect(untyped.status == 1 && untyped.stderr == "Error: pods \"deployment/details-v1\" not found\n", "\(untyped)")
        let clusters = try await h.istioctl("1.20.0", "pc", "clusters", "deploy/details-v1", "--fqdn", "details")
        #expect(clusters.status == 0 && clusters.lines.count > 1, "\(clusters)")
        // `ps -n` narrows the table to one namespace from 1.19.
        let all = try await h.istioctl("1.20.0", "ps")
        let narrowed = try await h.istioctl("1.20.0", "ps", "-n", "istio-system")
        #expect(all.lines.count > narrowed.lines.count && narrowed.lines.dropFirst().allSatisfy { $0.contains(".istio-system") }, "\(narrowed)")

        let before = try await h.kubectl("get", "deployments", "-n", "istio-system", "-o", "name")
        let dry = try await h.istioctl("1.20.0", "install", "--dry-run", "--set", "revision=canary")
        #expect(dry.status == 0, "\(dry)")
        #expect(dry.lines == ["✔ Istio core installed", "✔ Istiod installed", "✔ Ingress gateways installed", "✔ Installation complete"], "\(dry)")
        let after = try await h.kubectl("get", "deployments", "-n", "istio-system", "-o", "name")
        #expect(after.stdout == before.stdout)
        // Without -y (and no terminal answering) 1.20 asks, and an unanswered prompt is `Cancelled.`, exit 1.
        let asked = try await h.istioctl("1.20.0", "install", "--set", "revision=canary", input: "n\n")
        #expect(asked.status == 1, "\(asked)")
        #expect(asked.stdout == "This will install the Istio 1.20.0 \"default\" profile (with components: Istio core, Istiod, and Ingress gateways) into the cluster. Proceed? (y/N)", "\(asked)")
        #expect(asked.stderr == "Cancelled.\n")
        await h.stop()
    }

    @Test func upgradeRefusesTwoControlPlanesOfDifferentVersions() async throws {
        let h = try await KubectlHarness.startLive()
        #expect(try await h.istioctl("1.6.0", "install", "-y", "--set", "revision=canary").status == 0)
        let upgrade = try await h.istioctl("1.6.0", "upgrade", "-y")
        #expect(upgrade.status == 1, "\(upgrade)")
        #expect(upgrade.lines.contains { $0.hasPrefix("Control Plane - pilot pod - istiod-") && $0.hasSuffix("version: 1.5.4") }, "\(upgrade)")
        #expect(upgrade.lines.contains { $0.hasPrefix("Control Plane - istiod pod - istiod-canary-") && $0.hasSuffix("version: 1.6.0") }, "\(upgrade)")
        #expect(upgrade.stderr.hasPrefix("Error: failed to read the current Istio version, error: different versions of Istio components found: ["), "\(upgrade)")
        // A 1.20 install of the same revision warns first (on stderr); Go compares "1.6.0" > "1.20.0".
        let again = try await h.istioctl("1.20.0", "install", "--dry-run", "--set", "revision=canary")
        #expect(again.status == 0, "\(again)")
        #expect(again.stderr == "WARNING: Istio is being downgraded from 1.6.0 to 1.20.0.\n         Before upgrading, you may wish to use 'istioctl x precheck' to check for upgrade warnings.\n", "\(again)")
        // The canary as 1.10's `x revision describe` shows it: its operator CR, injector and istiod.
        let describe = try await h.istioctl("1.10.0", "x", "revision", "describe", "canary")
        #expect(describe.status == 0, "\(describe)")
        #expect(describe.stdout.hasPrefix("""

            ISTIO-OPERATOR CUSTOM RESOURCE: (1)
            1. istio-system/installed-state-canary
              COMPONENTS:
              - base
              - istiod
              - ingress:istio-ingressgateway
              CUSTOMIZATIONS:
              - revision=canary

            MUTATING WEBHOOK CONFIGURATIONS: (1)
            WEBHOOK                       TAG

            """), "\(describe)")
        #expect(describe.lines.contains("istio-sidecar-injector-canary <no-tag>"))
        #expect(describe.lines.contains("CONTROL PLANE PODS (ISTIOD): (1)"))
        #expect(describe.lines.contains { $0.hasPrefix("istio-system istiod-canary-") && $0.contains(" Running ") }, "\(describe)")
        let absent = try await h.istioctl("1.10.0", "x", "revision", "describe", "nope")
        #expect(absent.status == 1 && absent.stderr == "Error: revision nope is not present\n", "\(absent)")
        // 1.21 has no `describe`: the word falls to a group's help.
        let gone = try await h.istioctl("1.21.0", "x", "revision", "describe", "canary")
        #expect(gone.status == 0 && !gone.stdout.contains("ISTIO-OPERATOR CUSTOM RESOURCE"), "\(gone)")
        let generated = try await h.istioctl("1.6.0", "manifest", "generate", "--set", "revision=canary")
        #expect(generated.status == 0)
        let documents = generated.stdout.components(separatedBy: "\n---\n")
        let canary = try #require(documents.first { $0.contains("  name: istiod-canary\n") && $0.contains("\nkind: Deployment\n") }, "\(generated.stdout.prefix(2000))")
        #expect(canary.hasPrefix("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n"), "\(canary.prefix(500))")
        let rendered = IstioManifest(IstioInstallSpec(version: .v1_6_0, revision: "canary"))
        #expect(documents.count == rendered.definitions.count + rendered.allObjects.count)
        await h.stop()
    }
}
