import Emulator
import Foundation
import Kubernetes
import Istio
import TestKit
import Testing

/// Today's canary upgrades with the real kubectl and the 1.29/1.30 shims against live istiods:
/// a default 1.29 install whose default tag is moved to a 1.30 revision (injection and
/// validation follow it), and a revision-only 1.29 → 1.30 canary whose old revision uninstalls
/// with `-y` while a proxy still uses it (`istioctl/pkg/tag/generate.go@1.30.0`,
/// `operator/cmd/mesh/uninstall.go@1.30.0`).
@Suite(.serialized)
struct RevisionCanaryTests {
    static let virtualService = """
        apiVersion: networking.istio.io/v1beta1
        kind: VirtualService
        metadata:
          name: ratings
          namespace: shop
        spec:
          hosts: ["ratings"]
          http:
          - route:
            - destination:
                host: ratings

        """

    /// `kubectl get <kind> -o name`, the names only.
    static func names(_ h: KubectlHarness, _ kind: String) async throws -> [String] {
        try await h.kubectl("get", kind, "-o", "custom-columns=NAME:.metadata.name", "--no-headers").lines
    }

    /// A namespace with `labels` and one `sleep` Deployment in it.
    static func workload(_ h: KubectlHarness, namespace: String, label: String) async throws {
        #expect(try await h.kubectl("create", "namespace", namespace).status == 0)
        #expect(try await h.kubectl("label", "namespace", namespace, label).status == 0)
        let created = try await h.kubectl("create", "deployment", "sleep", "-n", namespace, "--image=curlimages/curl")
        #expect(created.status == 0, "\(created)")
    }

    /// Waits until the namespace's only pod is ready with a proxy of `version` on `revision`.
    static func proxy(_ h: KubectlHarness, in namespace: String, is version: String, on revision: String) async throws {
        try await eventually("\(h.cluster.world.proxies(in: namespace).map { "\($0.pod.name) \($0.istioVersion) \($0.revision)" })", timeout: .seconds(30)) {
            let pods = h.cluster.world.pods(in: namespace).filter { !$0.isTerminating }
            let proxies = h.cluster.world.proxies(in: namespace).filter { !$0.pod.isTerminating }
            return pods.count == 1 && proxies.count == 1 && proxies[0].istioVersion == version && proxies[0].revision == revision
                && proxies[0].pod.isReady
        }
    }

    @Test func tagSetDefaultMovesInjectionAndValidationFrom129To130() async throws {
        try await KubectlHarness.withLive(istio: nil) { h in
            let install = try await h.istioctl("1.29.0", "install", "-y")
            #expect(install.status == 0, "\(install)")
            #expect(install.lines.last == "✔ Installation complete", "\(install)")
            // 1.24+ print no "Made this installation the default" line, but make the default tag.
            #expect(!install.stderr.contains("the default for"), "\(install)")
            #expect(try await Self.names(h, "mutatingwebhookconfigurations") == ["istio-revision-tag-default", "istio-sidecar-injector"])
            #expect(try await Self.names(h, "validatingwebhookconfigurations") == ["istio-validator-istio-system", "istiod-default-validator"])
            let neverMatch = try await h.kubectl(
                "get", "mutatingwebhookconfiguration", "istio-sidecar-injector", "-o", "jsonpath={.webhooks[*].namespaceSelector.matchLabels}")
            #expect(neverMatch.stdout.contains("\"istio.io/deactivated\":\"never-match\""), "\(neverMatch)")
            let tags = try await h.istioctl("1.30.0", "tag", "list")
            #expect(tags.lines.map(columns) == [["TAG", "REVISION", "NAMESPACES"], ["default", "default"]], "\(tags)")

            // `x revision` went in 1.21 (istioctl/pkg/revision is gone at 1.21.0). `experimental` is
            // not the root and has no Args, so cobra's legacyArgs takes `revision list` as its
            // arguments and prints its help with status 0 (istioctl/cmd/root.go@1.29.0).
            let revisions = try await h.istioctl("1.29.0", "x", "revision", "list")
            #expect(revisions.status == 0 && revisions.stdout.contains("istioctl experimental [command]"), "\(revisions)")
            #expect(!revisions.stdout.contains("  revision "), "\(revisions)")

            try await Self.workload(h, namespace: "shop", label: "istio-injection=enabled")
            try await Self.proxy(h, in: "shop", is: "1.29.0", on: "default")

            let canary = try await h.istioctl("1.30.0", "install", "-y", "--revision", "1-30-0")
            #expect(canary.status == 0, "\(canary)")
            #expect(await h.emulator.istiods.waitUntil { Set($0.map(\.revision.name)) == ["default", "1-30-0"] })
            // The tag exists since the 1.29 install: 1.30 wants --overwrite to move it.
            let refused = try await h.istioctl("1.30.0", "tag", "set", "default", "--revision", "1-30-0")
            #expect(refused.status == 1)
            #expect(refused.stderr == "Error: revision tag \"default\" already exists, and --overwrite is false\n", "\(refused)")
            let moved = try await h.istioctl("1.30.0", "tag", "set", "default", "--revision", "1-30-0", "--overwrite")
            #expect(moved.status == 0, "\(moved)")
            #expect(moved.stdout == RevisionTag.createdMessage(tag: "default", revision: "1-30-0") + "\n", "\(moved)")
            let after = try await h.istioctl("1.30.0", "tag", "list")
            // NAMESPACES lists `istio.io/rev=default` namespaces only (`GetNamespacesWithTag`), not istio-injection's.
            #expect(after.lines.map(columns).last == ["default", "1-30-0"], "\(after)")

            // Injection: the shop's next pod gets the 1-30-0 proxy.
            #expect(try await h.kubectl("rollout", "restart", "deployment", "sleep", "-n", "shop").status == 0)
            try await Self.proxy(h, in: "shop", is: "1.30.0", on: "1-30-0")

            // Validation: the default validator calls istiod-1-30-0, closed once that istiod serves.
            let service = try await h.kubectl(
                "get", "validatingwebhookconfiguration", "istiod-default-validator", "-o",
                "jsonpath={.webhooks[0].clientConfig.service.name} {.webhooks[0].failurePolicy}")
            #expect(service.stdout == "istiod-1-30-0 Fail", "\(service)")
            let applied = try await h.kubectl("apply", "-f", "-", input: Self.virtualService)
            #expect(applied.status == 0, "\(applied)")
            // With the canary's istiod gone, unlabelled config is refused by its webhook, not istiod's.
            #expect(try await h.kubectl("scale", "deployment", "istiod-1-30-0", "-n", "istio-system", "--replicas=0").status == 0)
            try await eventually(timeout: .seconds(20)) {
                h.cluster.world.pods(in: "istio-system").allSatisfy { !$0.name.hasPrefix("istiod-1-30-0-") }
            }
            let refusedConfig = try await h.kubectl("apply", "-f", "-", input: Self.virtualService.replacingOccurrences(of: "ratings\n  namespace", with: "reviews\n  namespace"))
            #expect(refusedConfig.status == 1)
            #expect(
                refusedConfig.stderr.contains(
                    "failed calling webhook \"validation.istio.io\": Post \"https://istiod-1-30-0.istio-system.svc:443/validate?timeout=10s\": no endpoints available for service \"istiod-1-30-0\""),
                "\(refusedConfig)")
        }
    }

    /// 1.10's workaround (install.go@1.10.0 `createIstiodService`): a revision-only install whose
    /// Base validator calls `istiod` also creates that Service, selecting every istiod.
    @Test func tenRevisionOnlyInstallCreatesTheIstiodService() async throws {
        try await KubectlHarness.withLive(istio: nil) { h in
            let install = try await h.istioctl("1.10.0", "install", "-y", "--revision", "1-10-0")
            #expect(install.status == 0, "\(install)")
            let service = try await h.kubectl("get", "service", "istiod", "-n", "istio-system", "-o", "jsonpath={.spec.selector} {.metadata.labels.istio\\.io/rev}")
            #expect(service.stdout == "{\"app\":\"istiod\"} ", "\(service)")
            #expect(try await Self.names(h, "validatingwebhookconfigurations") == ["istiod-istio-system"])
            // 1.11 renders its own validator instead, and no Service `istiod`.
            let eleven = try await h.istioctl("1.11.0", "install", "-y", "--revision", "1-11-0")
            #expect(eleven.status == 0, "\(eleven)")
            #expect(try await Self.names(h, "validatingwebhookconfigurations") == ["istio-validator-1-11-0-istio-system", "istiod-istio-system"])
        }
    }

    /// The line an install prints on stderr when it made itself the default, per release
    /// (`operator/cmd/mesh/install.go@1.12.0` ~198, `@1.20.0` ~213); a canary beside an
    /// existing injector does not become the default and says nothing.
    @Test func installSaysItMadeItselfTheDefaultAsItsReleaseDoes() async throws {
        try await KubectlHarness.withLive(istio: nil) { h in
            let twelve = try await h.istioctl("1.12.0", "install", "-y")
            #expect(twelve.status == 0, "\(twelve)")
            #expect(twelve.stderr.split(separator: "\n").contains("Making this installation the default for injection and validation."), "\(twelve)")
            let canary = try await h.istioctl("1.20.0", "install", "-y", "--revision", "1-20-0")
            #expect(canary.status == 0, "\(canary)")
            #expect(!canary.stderr.contains("the default for"), "\(canary)")
            let tag = try await h.kubectl("get", "mutatingwebhookconfiguration", "istio-revision-tag-default", "-o", "jsonpath={.metadata.labels.istio\\.io/rev}")
            #expect(tag.stdout == "default", "\(tag)")
            // An in-place 1.20 install of the default revision takes the default again.
            let inPlace = try await h.istioctl("1.20.0", "install", "-y")
            #expect(inPlace.status == 0, "\(inPlace)")
            #expect(inPlace.stderr.split(separator: "\n").contains("Made this installation the default for injection and validation."), "\(inPlace)")
        }
    }

    /// `-r/--revision` exists from 1.6 (`operator/cmd/mesh/manifest-apply.go@1.6.0:81`,
    /// `install.go@1.8.0:79`), not only from 1.9.
    @Test func eightTakesTheRevisionFlag() async throws {
        try await KubectlHarness.withLive { h in
            let install = try await h.istioctl("1.8.0", "install", "-y", "--revision", "1-8-0")
            #expect(install.status == 0, "\(install)")
            #expect(await h.emulator.istiods.waitUntil { Set($0.map(\.revision.name)) == ["default", "1-8-0"] })
            let image = try await h.kubectl(
                "get", "deployment", "istiod-1-8-0", "-n", "istio-system", "-o", "jsonpath={.spec.template.spec.containers[0].image}")
            #expect(image.stdout == "docker.io/istio/pilot:1.8.0", "\(image)")
        }
    }

    @Test func revisionOnlyCanaryFrom129To130UninstallsTheOldRevisionWithYes() async throws {
        try await KubectlHarness.withLive(istio: nil) { h in
            let old = try await h.istioctl("1.29.0", "install", "-y", "--revision", "1-29-0")
            #expect(old.status == 0, "\(old)")
            // The first control plane becomes the default; no Service `istiod` anywhere.
            #expect(try await Self.names(h, "validatingwebhookconfigurations") == ["istio-validator-1-29-0-istio-system", "istiod-default-validator"])
            #expect(try await h.kubectl("get", "service", "istiod", "-n", "istio-system").status == 1)
            try await Self.workload(h, namespace: "shop", label: "istio-injection=enabled")
            try await Self.workload(h, namespace: "legacy", label: "istio.io/rev=1-29-0")
            try await Self.proxy(h, in: "shop", is: "1.29.0", on: "1-29-0")
            try await Self.proxy(h, in: "legacy", is: "1.29.0", on: "1-29-0")

            let canary = try await h.istioctl("1.30.0", "install", "-y", "--revision", "1-30-0")
            #expect(canary.status == 0, "\(canary)")
            #expect(canary.lines.last == "✔ Installation complete", "\(canary)")
            #expect(
                try await Self.names(h, "validatingwebhookconfigurations") == [
                    "istio-validator-1-29-0-istio-system", "istio-validator-1-30-0-istio-system", "istiod-default-validator",
                ])
            #expect(try await h.istioctl("1.30.0", "tag", "set", "default", "--revision", "1-30-0", "--overwrite").status == 0)
            #expect(try await h.kubectl("rollout", "restart", "deployment", "sleep", "-n", "shop").status == 0)
            try await Self.proxy(h, in: "shop", is: "1.30.0", on: "1-30-0")

            // Without -y it asks; no is `Cancelled.` and exit 1, nothing removed.
            let legacyPod = try #require(h.cluster.world.proxies(in: "legacy").first?.id)
            let warning = [
                "There are still 1 proxies pointing to the control plane revision 1-29-0", legacyPod,
                "If you proceed with the uninstall, these proxies will become detached from any control plane and will not function correctly.",
            ]
            let asked = try await h.istioctl("1.30.0", "uninstall", "--revision", "1-29-0", input: "n\n")
            #expect(asked.status == 1, "\(asked)")
            #expect(Array(asked.lines.dropLast()) == warning, "\(asked)")
            #expect(asked.lines.last?.hasPrefix("Proceed? (y/N)") == true && asked.lines.last?.hasSuffix("Cancelled.") == true, "\(asked)")
            #expect(h.cluster.world.list(.deployments, namespace: "istio-system").map(\.name).contains("istiod-1-29-0"))

            let removed = try await h.istioctl("1.30.0", "uninstall", "--revision", "1-29-0", "-y")
            #expect(removed.status == 0, "\(removed)")
            // With -y the warning is printed as is, its closing newline plus the printer's: a blank line.
            #expect(removed.stdout.hasPrefix(warning.joined(separator: "\n") + "\n\n  Removed "), "\(removed)")
            #expect(removed.lines.contains("  Removed apps/v1, Kind=Deployment/istiod-1-29-0.istio-system."), "\(removed)")
            #expect(removed.lines.last == "✔ Uninstall complete", "\(removed)")
            #expect(await h.emulator.istiods.waitUntil { $0.map(\.revision.name) == ["1-30-0"] })
            #expect(try await Self.names(h, "mutatingwebhookconfigurations") == ["istio-revision-tag-default", "istio-sidecar-injector-1-30-0"])
            #expect(try await Self.names(h, "validatingwebhookconfigurations") == ["istio-validator-1-30-0-istio-system", "istiod-default-validator"])
            // Istio config still applies: validation is the canary's.
            let applied = try await h.kubectl("apply", "-f", "-", input: Self.virtualService)
            #expect(applied.status == 0, "\(applied)")
        }
    }
}
