import Emulator
import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Istiod
import JSON
import Kubernetes
import KubeRuntime
import Istio
import TestKit
import Testing

/// The seed's steps through the `istioctl` shim and the real kubectl, against an emulator that
/// starts with Istio 1.5.4 and bookinfo, as the seed's cluster did.
@Suite(.serialized)
struct IstioctlTests {
    @Test func withoutAnEmulatorItSaysSoInOneLine() async throws {
        let dir = try KubectlHarness.makeDirectory()
        let kubeconfig = "\(dir)/kubeconfig"
        try "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: http://127.0.0.1:1\n  name: x\ncontexts:\n- context:\n    cluster: x\n  name: x\ncurrent-context: x\n"
            .write(toFile: kubeconfig, atomically: true, encoding: .utf8)
        let run = try await ChildProcess.run(
            RealPeers.xdsemu, ["istioctl", "--istio-version", "1.6.0", "install", "--set", "revision=canary"],
            environment: ["KUBECONFIG": kubeconfig, "HOME": dir], directory: dir)
        #expect(run.status == 1)
        #expect(run.stderr.split(separator: "\n").count == 1, "\(run)")
        #expect(run.stderr.hasPrefix("Error: no xdsemu emulator is answering at http://127.0.0.1:1"), "\(run)")
        #expect(run.stderr.contains("xdsemu up"))

        let none = try await ChildProcess.run(
            RealPeers.xdsemu, ["istioctl", "x", "uninstall", "--revision", "canary", "--istio-version=1.7.0"],
            environment: ["HOME": dir], directory: dir)
        #expect(none.status == 1)
        #expect(none.stderr == "Error: no xdsemu emulator: no kubeconfig at \(dir)/.kube/config (from ~/.kube/config); start one with `xdsemu up` and `export KUBECONFIG=<state-dir>/kubeconfig`\n", "\(none)")
    }

    @Test func seedInstallRelabelAndRestart() async throws {
        let h = try await KubectlHarness.startLive()
        #expect(await h.emulator.istiods.waitUntil { $0.map(\.revision.name) == ["default"] })
        let before = try await h.kubectl("get", "pods", "-n", "istio-system", "-o", "name")
        let oldGateway = try #require(before.lines.first { $0.contains("istio-ingressgateway-") })

        let install = try await h.istioctl("1.6.0", "install", "--set", "revision=canary")
        #expect(install.status == 0, "\(install)")
        #expect(
            install.lines == [
                "✔ Istio core installed", "✔ Istiod installed", "✔ Ingress gateways installed", "✔ Addons installed",
                "✔ Installation complete",
            ], "\(install)")

        // istiod-canary beside istiod; the gateway replaced (in place) by one on 1.6.0.
        try await eventually(timeout: .seconds(20)) { !h.cluster.world.pods(in: "istio-system").contains { "pod/\($0.name)" == oldGateway } }
        let pods = try await h.kubectl("get", "pods", "-n", "istio-system", "--no-headers")
        let names = pods.lines.map { String($0.split(separator: " ")[0]) }
        #expect(names.contains { $0.hasPrefix("istiod-canary-") } && names.contains { $0.hasPrefix("istiod-") && !$0.hasPrefix("istiod-canary") })
        let image = try await h.kubectl(
            "get", "pods", "-n", "istio-system", "-l", "app=istio-ingressgateway", "-o", "jsonpath={.items[*].spec.containers[*].image}")
        #expect(image.stdout == "docker.io/istio/proxyv2:1.6.0", "\(image)")
        let hooks = try await h.kubectl("get", "mutatingwebhookconfigurations", "--no-headers", "-o", "custom-columns=NAME:.metadata.name")
        #expect(hooks.lines == ["istio-sidecar-injector", "istio-sidecar-injector-canary"])
        #expect(await h.emulator.istiods.waitUntil { $0.map(\.revision.name) == ["canary", "default"] })
        let canary = try #require(h.emulator.istiods.istiods().first { $0.revision.name == "canary" })
        #expect(h.emulator.istiods.port(forHost: "istiod-canary.istio-system.svc:15012") == canary.port)
        // The emulator's own endpoint: where each live istiod's xDS server listens.
        let status = try JSONDecoder().decode(JSONValue.self, from: try await h.request("GET", "/xdsemu/v1/istiods").body)
        let items = status["items"]?.arrayValue ?? []
        #expect(items.map { $0["host"]?.stringValue ?? "" } == ["istiod-canary.istio-system.svc", "istiod.istio-system.svc"])
        #expect(items.first?["address"]?.stringValue == "127.0.0.1:\(canary.port)")
        #expect(items.map { $0["version"]?.stringValue ?? "" } == ["1.6.0", "1.5.4"])
        let iop = try await h.kubectl("get", "istiooperators", "-n", "istio-system", "-o", "name")
        #expect(iop.lines == ["istiooperator.install.istio.io/installed-state-canary"], "\(iop)")

        // Restarting with istio-injection=enabled keeps 1.5.4.
        _ = try await h.kubectl("rollout", "restart", "deployment")
        try await eventually(timeout: .seconds(20)) {
            let w = h.cluster.world
            return w.pods(in: "default").allSatisfy { !$0.isTerminating } && w.proxies(in: "default").count == 6
                && w.proxies(in: "default").allSatisfy { $0.istioVersion == "1.5.4" && $0.pod.isReady }
        }

        let label = try await h.kubectl("label", "namespace", "default", "istio-injection-", "istio.io/rev=canary")
        #expect(label.stdout == "namespace/default unlabeled\n", "\(label)")
        let restart = try await h.kubectl("rollout", "restart", "deployment")
        #expect(restart.lines.count == 6 && restart.lines.allSatisfy { $0.hasSuffix(" restarted") })
        try await eventually(timeout: .seconds(20)) {
            let w = h.cluster.world
            let proxies = w.proxies(in: "default")
            return w.pods(in: "default").count == 6 && proxies.count == 6
                && proxies.allSatisfy { $0.istioVersion == "1.6.0" && $0.revision == "canary" && $0.pod.isReady }
        }
        let labelled = try await h.kubectl("get", "pods", "-l", "istio.io/rev=canary", "--no-headers")
        #expect(labelled.lines.count == 6, "\(labelled)")
        await h.stop()
    }

    @Test func revisionNamesFollowTheIstioctlVersion() async throws {
        let h = try await KubectlHarness.startLive()
        let dotted = try OperatorConfig.write(in: h, revision: "v1.6.0")
        let old = try await h.istioctl("1.6.0", "install", "-f", dotted)
        #expect(old.status == 1)
        #expect(old.stdout.isEmpty, "\(old)")
        let errLines = old.stderr.split(separator: "\n")
        #expect(errLines.last == "Error: failed to apply manifests: errors occurred during operation", "\(old)")
        #expect(errLines.first?.hasSuffix("path [Deployment:istiod-v1.6.0].spec.strategy has an unexpected first element [Deployment:istiod-v1 in OverlayK8sSettings") == true)

        let new = try await h.istioctl("1.9.0", "install", "--revision", "v1.6.0")
        #expect(new.status == 1)
        #expect(new.stderr == "Error: invalid revision specified: v1.6.0\n", "\(new)")
        let viaFile = try await h.istioctl("1.9.0", "install", "-f", dotted)
        #expect(viaFile.stderr.hasSuffix("validation errors (use --force to override): \ninvalid revision specified: v1.6.0\n"), "\(viaFile)")
        #expect(h.cluster.world.list(.deployments, namespace: "istio-system").map(\.name) == ["istio-ingressgateway", "istiod"])

        let fine = try await h.istioctl("1.6.0", "install", "-f", try OperatorConfig.write(in: h, revision: "v160"))
        #expect(fine.lines == ["✔ Istio core installed", "✔ Istiod installed", "✔ Ingress gateways installed", "✔ Installation complete"], "\(fine)")
        await h.stop()
    }

    @Test func aDeletedDefaultIstiodFailsTheNextInstallAsInTheSeed() async throws {
        let h = try await KubectlHarness.startLive()
        _ = try await h.kubectl("delete", "deployment", "istiod", "-n", "istio-system")
        try await eventually(timeout: .seconds(20)) { h.cluster.world.pods(in: "istio-system").allSatisfy { !$0.name.hasPrefix("istiod-") } }
        #expect(await h.emulator.istiods.waitUntil { $0.isEmpty })
        let run = try await h.istioctl("1.6.0", "install", "-f", try OperatorConfig.write(in: h, revision: "v160"))
        #expect(run.status == 1)
        let webhook = "Internal error occurred: failed calling webhook \"validation.istio.io\": Post https://istiod.istio-system.svc:443/validate?timeout=30s: no endpoints available for service \"istiod\""
        #expect(run.lines.first == "✔ Istio core installed")
        #expect(run.lines.dropFirst().first == "✘ Istiod encountered an error: failed to create \"EnvoyFilter/istio-system/metadata-exchange-1.6-v160\": \(webhook)", "\(run)")
        #expect(run.lines.contains("failed to create \"EnvoyFilter/istio-system/stackdriver-filter-1.6-v160\": \(webhook)"))
        #expect(run.lines.contains("failed to create \"EnvoyFilter/istio-system/tcp-metadata-exchange-1.6-v160\": \(webhook)"))
        let logs = run.stderr.split(separator: "\n")
        #expect(logs.count == 4)
        #expect(logs.first?.contains("\terror\tinstaller\tfailed to create \"EnvoyFilter/istio-system/metadata-exchange-1.6-v160\": \(webhook)") == true)
        #expect(logs.last == "Error: failed to apply manifests: errors occurred during operation")
        await h.stop()
    }

    @Test func tagsAndUninstall() async throws {
        let h = try await KubectlHarness.startLive()
        let old = try await h.istioctl("1.10.0", "tag", "list")
        #expect(old.stderr.hasPrefix("Error: unknown command \"tag\" for \"istioctl\""), "\(old)")
        #expect(try await h.istioctl("1.6.0", "install", "-y", "--set", "revision=canary").status == 0)

        let set = try await h.istioctl("1.11.0", "tag", "set", "prod", "--revision", "canary")
        #expect(set.stdout == "Revision tag \"prod\" created, referencing control plane revision \"canary\". To enable injection using this\nrevision tag, use 'kubectl label namespace <NAMESPACE> istio.io/rev=prod'\n", "\(set)")
        let again = try await h.istioctl("1.11.0", "tag", "set", "prod", "--revision", "canary")
        #expect(again.stderr == "Error: revision tag \"prod\" already exists, and --overwrite is false\n")
        let missing = try await h.istioctl("1.11.0", "tag", "set", "x", "--revision", "nope")
        #expect(missing.stderr == "Error: cannot modify tag: cannot find MutatingWebhookConfiguration with revision \"nope\"\n")
        _ = try await h.kubectl("create", "namespace", "shop")
        _ = try await h.kubectl("label", "namespace", "shop", "istio.io/rev=prod")
        _ = try await h.kubectl("create", "deployment", "sleep", "-n", "shop", "--image=curlimages/curl")
        try await eventually(timeout: .seconds(20)) { h.cluster.world.proxies(in: "shop").first?.revision == "canary" }
        let check = try await h.istioctl("1.17.0", "x", "check-inject", "-n", "shop", "deployment/sleep")
        #expect(
            check.lines == [
                "WEBHOOK                        REVISION  INJECTED  REASON",
                "istio-revision-tag-prod        prod      ✔         Namespace label istio.io/rev=prod matches (tag prod → revision canary)",
                "istio-sidecar-injector         default   ✘         No matching namespace labels (istio-injection=enabled)",
                "istio-sidecar-injector-canary  canary    ✘         No matching namespace labels (istio.io/rev=canary)",
            ], "\(check)")
        let list = try await h.istioctl("1.11.0", "tag", "list")
        #expect(list.lines == ["TAG  REVISION NAMESPACES", "prod canary   shop"], "\(list)")
        let revisions = try await h.istioctl("1.10.0", "x", "revision", "list")
        #expect(revisions.lines.first?.hasPrefix("REVISION") == true, "\(revisions)")
        #expect(revisions.lines.contains { $0.hasPrefix("canary") && $0.contains("prod") && $0.contains("installed-state-canary") }, "\(revisions)")

        let remove = try await h.istioctl("1.11.0", "tag", "remove", "prod", "-y")
        #expect(remove.stdout == "Revision tag prod removed\n", "\(remove)")

        // Proxies still use the canary (the gateway and the shop pod): warned about, and `-y` goes on
        // (operator/cmd/mesh/uninstall.go@1.7.0 preCheckWarnings).
        let removed = try await h.istioctl("1.7.0", "x", "uninstall", "--revision", "canary", "-y")
        #expect(removed.status == 0, "\(removed)")
        #expect(removed.lines.first == "There are still 2 proxies pointing to the control plane revision canary", "\(removed)")
        #expect(removed.lines.contains("  Removed Deployment:istio-system:istiod-canary."), "\(removed)")
        #expect(removed.lines.last == "✔ Uninstall complete")
        #expect(h.cluster.world.list(.deployments, namespace: "istio-system").map(\.name).contains("istiod-canary") == false)
        #expect(h.cluster.world.get(ObjectKey(.mutatingWebhookConfigurations, name: "istio-sidecar-injector-canary")) == nil)
        #expect(await h.emulator.istiods.waitUntil { $0.map(\.revision.name) == ["default"] })

        let none = try await h.istioctl("1.11.0", "tag", "list")
        #expect(none.stdout == "No Istio revision tag MutatingWebhookConfigurations to list\n")
        await h.stop()
    }
}
