import Emulator
import Foundation
import Istio
import JSON
import Kubernetes
import TestKit
import Testing

/// `xdsemu up --from FILE` refusing what it cannot import — in one line naming the file, exiting
/// non-zero, starting nothing — and reading a dump written as JSON as well as YAML.
@Suite(.serialized)
struct MeshImportFileTests {
    static let now = Timestamp(seconds: 1_767_225_600)

    /// Runs `xdsemu up --state-dir DIR/state --from FILE` in `dir` until it exits.
    static func up(from file: String, in dir: String) async throws -> ProcessRun {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu), "build the xdsemu product first")
        return try await ChildProcess.run(
            RealPeers.xdsemu, ["up", "--state-dir", "\(dir)/state", "--from", file], environment: ["HOME": dir, "PATH": "/usr/bin:/bin"],
            directory: dir, timeout: .seconds(60))
    }

    @Test(arguments: [
        ("deployment.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n",
            "expected the kind: List that `kubectl get … -A -o yaml` writes, not kind: Deployment"),
        ("broken.yaml", "apiVersion: v1\nkind: List\nitems: [\n  - {name: a\n",
            "not valid YAML ("),
        ("broken.json", "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [}",
            "not valid JSON ("),
        ("old-webhooks.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: admissionregistration.k8s.io/v1beta1\n  kind: MutatingWebhookConfiguration\n  metadata:\n    name: istio-sidecar-injector\n",
            "MutatingWebhookConfiguration istio-sidecar-injector has apiVersion admissionregistration.k8s.io/v1beta1; expected admissionregistration.k8s.io/v1, as kubectl writes it"),
        ("old-istio.yaml",
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata:\n    name: istiod\n    namespace: istio-system\n    labels: {app: istiod}\n  spec:\n    template:\n      spec:\n        containers:\n        - {name: discovery, image: docker.io/istio/pilot:1.4.6}\n",
            "istiod Deployment istio-system/istiod runs Istio 1.4.6 (image \"docker.io/istio/pilot:1.4.6\"); the emulator renders Istio 1.5 to 1.30 only"),
    ])
    func aBadDumpIsOneLineAndStartsNothing(name: String, text: String, message: String) async throws {
        let dir = try KubectlHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = "\(dir)/\(name)"
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try await Self.up(from: file, in: dir)
        #expect(run.status == 1, "\(run)")
        #expect(run.stdout.isEmpty, "\(run)")
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1, "\(run)")
        #expect(lines.first?.hasPrefix("xdsemu: \(file): ") == true, "\(run)")
        #expect(lines.first?.contains(message) == true, "\(run)")
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/state/world.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/state/kubeconfig"))
    }

    @Test func aMissingFileIsOneLine() async throws {
        let dir = try KubectlHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try await Self.up(from: "\(dir)/nowhere.yaml", in: dir)
        #expect(run.status == 1, "\(run)")
        #expect(
            run.stderr
                == "xdsemu: \(dir)/nowhere.yaml: cannot read it (no such file, a directory, or not readable); expected the kind: List that `kubectl get … -A -o yaml` (or `-o json`) writes\n",
            "\(run)")
    }

    @Test func aStateDirectoryWithAWorldIsRefusedAndKeepsIt() async throws {
        let dir = try KubectlHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // A world saved by an earlier run of the emulator.
        let earlier = try await Emulator.start(Emulator.Options(stateDirectory: "\(dir)/state", worldConfig: WorldConfig(seed: 42)))
        await earlier.stop()
        let database = "\(dir)/state/world.sqlite"
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let file = "\(dir)/dump.yaml"
        try "apiVersion: v1\nkind: List\nitems: []\n".write(toFile: file, atomically: true, encoding: .utf8)
        let run = try await Self.up(from: file, in: dir)
        #expect(run.status == 1, "\(run)")
        #expect(
            run.stderr
                == "xdsemu: --from \(file) builds a new world, but \(database) already holds one; remove it or choose another --state-dir\n",
            "\(run)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
    }

    @Test func aJSONDumpReadsAsTheYAMLOne() throws {
        let dir = try KubectlHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let list: JSONValue = [
            "apiVersion": "v1", "kind": "List",
            "items": [
                ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "shop", "labels": ["istio-injection": "enabled"]]],
                [
                    "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "settings", "namespace": "shop"],
                    "data": ["mode": "canary", "replicas": "3"],
                ],
                ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "token", "namespace": "shop"], "data": ["t": "c2VjcmV0"]],
            ],
        ]
        let jsonPath = "\(dir)/dump.json"
        try list.canonicalJSON.write(toFile: jsonPath, atomically: true, encoding: .utf8)
        let yamlPath = "\(dir)/dump.yaml"
        try """
        apiVersion: v1
        items:
        - apiVersion: v1
          kind: Namespace
          metadata:
            labels:
              istio-injection: enabled
            name: shop
        - apiVersion: v1
          data:
            mode: canary
            replicas: "3"
          kind: ConfigMap
          metadata:
            name: settings
            namespace: shop
        - apiVersion: v1
          data:
            t: c2VjcmV0
          kind: Secret
          metadata:
            name: token
            namespace: shop
        kind: List
        metadata:
          resourceVersion: ""

        """.write(toFile: yamlPath, atomically: true, encoding: .utf8)
        let fromJSON = try MeshImport.load(path: jsonPath, config: WorldConfig(seed: 1), now: Self.now)
        let fromYAML = try MeshImport.load(path: yamlPath, config: WorldConfig(seed: 1), now: Self.now)
        #expect(fromJSON.world == fromYAML.world)
        #expect(fromJSON.skipped == fromYAML.skipped)
        #expect(fromYAML.skipped.map(\.description) == ["Secret shop/token: Secrets are never read: its data is left out"])
        let settings = try #require(fromYAML.world.get(ObjectKey(.configMaps, namespace: "shop", name: "settings")))
        #expect(settings.body["data"] == ["mode": "canary", "replicas": "3"])
        #expect(fromYAML.world.get(ObjectKey(.namespaces, name: "shop"))?.labels["istio-injection"] == "enabled")
    }
}
