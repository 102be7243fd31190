import Emulator
import Foundation
import Istio
import Kubernetes
import TestKit
import Testing

/// A mesh dumped by the real kubectl from a running emulator (the seed's bookinfo on 1.5.4, a 1.6.0
/// canary installed with the istioctl shim, a namespace of its own on the canary), imported into a
/// fresh `xdsemu up --from`, compared through kubectl and istioctl, and then taken through the
/// seed's canary steps with the real kubectl and the shim.
@Suite(.serialized)
struct MeshImportKubectlTests {
    /// Exactly what the import documents to run against a cluster.
    static let dumpArguments = [
        "get",
        "namespaces,deployments,statefulsets,daemonsets,services,configmaps,mutatingwebhookconfigurations,validatingwebhookconfigurations",
        "-A", "-o", "yaml",
    ]

    /// kubectl views compared between the cluster and the imported world.
    static let views: [[String]] = [
        ["get", "namespaces", "-o", "jsonpath={range .items[*]}{.metadata.name} {.metadata.labels}{\"\\n\"}{end}"],
        ["get", "deployments", "-A", "--no-headers", "-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name,REPLICAS:.spec.replicas,IMAGES:.spec.template.spec.containers[*].image"],
        ["get", "services", "-A", "--no-headers", "-o", "custom-columns=NS:.metadata.namespace,NAME:.metadata.name,TYPE:.spec.type,PORTS:.spec.ports[*].port,SELECTOR:.spec.selector"],
        ["get", "configmaps", "-n", "shop", "--no-headers", "-o", "custom-columns=NAME:.metadata.name,DATA:.data"],
        ["get", "services", "db", "-n", "shop", "-o", "jsonpath={.spec.clusterIP}"],
        ["get", "mutatingwebhookconfigurations", "--no-headers", "-o", "custom-columns=NAME:.metadata.name"],
    ]

    /// The shim's istioctl for `version`, against the daemon.
    static func istioctl(_ d: UpDaemon, _ version: String, _ args: String...) async throws -> ProcessRun {
        let dir = "\(d.directory)/istio-\(version)"
        if !FileManager.default.fileExists(atPath: "\(dir)/bin/istioctl") {
            let shim = try await ChildProcess.run(
                RealPeers.xdsemu, ["shim", dir, "--istio-version", version], environment: d.environment, directory: d.directory)
            #expect(shim.status == 0, "\(shim)")
        }
        return try await ChildProcess.run("\(dir)/bin/istioctl", args, environment: d.environment, directory: d.directory)
    }

    static func kubectl(_ d: UpDaemon, _ args: [String]) async throws -> ProcessRun {
        try await ChildProcess.run(RealPeers.kubectl, args, environment: d.environment, directory: d.directory)
    }

    /// The images of each pod of `namespace`, one line per pod.
    static let podImages = ["get", "pods", "-o", "jsonpath={range .items[*]}{.spec.containers[*].image}{\"\\n\"}{end}"]

    /// Runs the cluster the dump is taken from; returns the dump's path and kubectl's views of it.
    func dumpSourceMesh(into dir: String) async throws -> (path: String, views: [String]) {
        let h = try await KubectlHarness.startLive()
        do {
            let install = try await h.istioctl("1.6.0", "install", "--set", "revision=canary")
            #expect(install.status == 0, "\(install)")
            for args in [
                ["create", "namespace", "shop"], ["label", "namespace", "shop", "istio.io/rev=canary"],
                ["create", "deployment", "web", "--image=docker.io/library/nginx:1.27", "-n", "shop"],
                ["create", "service", "clusterip", "web", "--tcp=80:80", "-n", "shop"],
                ["create", "service", "clusterip", "db", "--clusterip=None", "--tcp=5432:5432", "-n", "shop"],
                ["create", "configmap", "settings", "--from-literal=mode=canary", "-n", "shop"],
            ] {
                let run = try await ChildProcess.run(RealPeers.kubectl, args, environment: h.environment, directory: h.directory)
                #expect(run.status == 0, "\(args) \(run)")
            }
            // Bookinfo on 1.5.4; the upgraded gateway and the shop on the canary.
            try await eventually("\(h.cluster.world.proxies().map { "\($0.id) \($0.revision) \($0.pod.isReady)" })", timeout: .seconds(30)) {
                let proxies = h.cluster.world.proxies().filter { !$0.pod.isTerminating }
                return proxies.count == 8 && proxies.allSatisfy(\.pod.isReady)
                    && proxies.filter { $0.revision == "canary" }.map(\.pod.namespace).sorted() == ["istio-system", "shop"]
            }
            let dump = try await ChildProcess.run(RealPeers.kubectl, Self.dumpArguments, environment: h.environment, directory: h.directory)
            #expect(dump.status == 0 && dump.stderr.isEmpty, "\(dump.stderr)")
            let path = "\(dir)/mesh.yaml"
            try dump.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            let json = try await ChildProcess.run(
                RealPeers.kubectl, Array(Self.dumpArguments.dropLast()) + ["json"], environment: h.environment, directory: h.directory)
            #expect(json.status == 0 && json.stdout.hasPrefix("{"), "\(json.stderr)")
            try json.stdout.write(toFile: "\(dir)/mesh.json", atomically: true, encoding: .utf8)
            var views: [String] = []
            for args in Self.views {
                let run = try await ChildProcess.run(RealPeers.kubectl, args, environment: h.environment, directory: h.directory)
                #expect(run.status == 0 && !run.stdout.isEmpty, "\(args) \(run)")
                views.append(run.stdout)
            }
            // What the comparisons below rest on.
            #expect(views[0].contains("shop {\"istio.io/rev\":\"canary\"}\n") && views[0].contains("default {\"istio-injection\":\"enabled\"}\n"), "\(views[0])")
            #expect(views[1].split(separator: "\n").count == 11, "\(views[1])")
            #expect(views[3].hasPrefix("settings "), "\(views[3])")
            #expect(views[4] == "None")
            #expect(views[5] == "istio-sidecar-injector\nistio-sidecar-injector-canary\n")
            await h.stop()
            return (path, views)
        } catch {
            await h.stop()
            throw error
        }
    }

    @Test func aDumpedMeshImportsLiveAndRehearsesTheSeedsCanarySteps() async throws {
        let dir = try KubectlHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (path, sourceViews) = try await dumpSourceMesh(into: dir)

        // The same dump written as JSON builds the same world.
        let now = Timestamp(seconds: 1_767_225_600)
        let fromYAML = try MeshImport.load(path: path, config: WorldConfig(seed: 3), now: now)
        let fromJSON = try MeshImport.load(path: "\(dir)/mesh.json", config: WorldConfig(seed: 3), now: now)
        #expect(fromJSON.world == fromYAML.world && fromJSON.skipped == fromYAML.skipped)

        let d = try await UpDaemon(extra: ["--from", path])
        defer {
            d.stop()
            d.remove()
        }
        // What was left out, each on a line of its own: Istio's objects (installed again instead)
        // and the `kubernetes` Service the emulated API server makes itself.
        let notImported = d.process.stdout.split(separator: "\n").filter { $0.hasPrefix("xdsemu: not imported: ") }
        #expect(!notImported.isEmpty)
        for line in notImported {
            #expect(
                line.hasSuffix("re-created by the emulator's install of Istio 1.5.4 (revision default)")
                    || line.hasSuffix("re-created by the emulator's install of Istio 1.6.0 (revision canary)")
                    || line.hasPrefix("xdsemu: not imported: Service default/kubernetes: the emulated cluster makes its own"),
                "\(line)")
        }
        #expect(notImported.contains("xdsemu: not imported: Deployment istio-system/istiod-canary: re-created by the emulator's install of Istio 1.6.0 (revision canary)"))

        // Same namespaces and labels, Deployments, Services, ConfigMaps and injection webhooks.
        for (args, expected) in zip(Self.views, sourceViews) {
            let seen = try await Self.kubectl(d, args)
            #expect(seen.status == 0 && seen.stdout == expected, "kubectl \(args.joined(separator: " "))\n\(seen)")
        }

        // Both revisions live, each proxy on its own: bookinfo on 1.5.4, the gateway and the shop on the canary.
        let controlPlane = ["client version: 1.6.0", "pilot version: 1.5.4", "istiod version: 1.6.0"]
        try await eventually(timeout: .seconds(60), pollingEvery: .milliseconds(500)) {
            let version = try await Self.istioctl(d, "1.6.0", "version")
            return Set(version.lines.dropLast()) == Set(controlPlane)
                && version.lines.last == "data plane version: 1.5.4 (6 proxies), 1.6.0 (2 proxies)"
        }
        let defaultImages = try await Self.kubectl(d, Self.podImages + ["-n", "default"])
        #expect(defaultImages.lines.count == 6 && defaultImages.lines.allSatisfy { $0.hasSuffix(" docker.io/istio/proxyv2:1.5.4") }, "\(defaultImages)")
        let shopImages = try await Self.kubectl(d, Self.podImages + ["-n", "shop"])
        #expect(shopImages.lines == ["docker.io/library/nginx:1.27 docker.io/istio/proxyv2:1.6.0"], "\(shopImages)")

        // The seed's steps: install the canary, move the namespace to it, restart: all on 1.6.0.
        let install = try await Self.istioctl(d, "1.6.0", "install", "--set", "revision=canary")
        #expect(install.status == 0 && install.lines.last == "✔ Installation complete", "\(install)")
        let label = try await d.kubectl("label", "namespace", "default", "istio-injection-", "istio.io/rev=canary")
        #expect(label.stdout == "namespace/default unlabeled\n", "\(label)")
        let restart = try await d.kubectl("rollout", "restart", "deployment")
        #expect(restart.lines.count == 6 && restart.lines.allSatisfy { $0.hasSuffix(" restarted") }, "\(restart)")
        try await eventually(timeout: .seconds(60), pollingEvery: .milliseconds(500)) {
            let version = try await Self.istioctl(d, "1.6.0", "version")
            return version.lines.last == "data plane version: 1.6.0 (8 proxies)"
        }
        let status = try await Self.istioctl(d, "1.6.0", "proxy-status")
        #expect(status.lines.count == 9, "\(status)")
        for row in status.lines.dropFirst() {
            let cells = row.split(separator: " ").map(String.init).suffix(2)
            #expect(cells.first?.hasPrefix("istiod-canary-") == true && cells.last == "1.6.0", "\(status)")
        }
        let moved = try await Self.kubectl(d, Self.podImages + ["-n", "default"])
        #expect(moved.lines.count == 6 && moved.lines.allSatisfy { $0.hasSuffix(" docker.io/istio/proxyv2:1.6.0") }, "\(moved)")
    }
}
