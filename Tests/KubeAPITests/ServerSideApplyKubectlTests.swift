import Foundation
import JSON
import Kubernetes
import KubeRuntime
import TestKit
import Testing

/// The real kubectl 1.32 with server-side apply, chunked lists and watches (each test its own
/// emulator on a manual clock).
@Suite(.serialized)
struct ServerSideApplyKubectlTests {
    static func manifest(replicas: Int, image: String = "nginx:1.25", name: String = "web") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)
          labels: {app: \(name)}
        spec:
          replicas: \(replicas)
          selector: {matchLabels: {app: \(name)}}
          template:
            metadata: {labels: {app: \(name)}}
            spec:
              containers:
              - name: nginx
                image: \(image)
                ports: [{containerPort: 80}]
        """
    }

    static let conflictHelp = "Please review the fields above--they currently have other managers."

    @Test func applyServerSideCreatesUpdatesAndHidesManagedFieldsUnlessAsked() async throws {
        let h = try await KubectlHarness.start()
        let created = try await h.kubectl("apply", "--server-side", "-f", "-", input: Self.manifest(replicas: 2))
        #expect(created.status == 0, "\(created)")
        #expect(created.stdout == "deployment.apps/web serverside-applied\n", "\(created)")
        let updated = try await h.kubectl("apply", "--server-side", "-f", "-", input: Self.manifest(replicas: 2, image: "nginx:1.26"))
        #expect(updated.stdout == "deployment.apps/web serverside-applied\n", "\(updated)")
        let key = ObjectKey(.deployments, namespace: "default", name: "web")
        #expect(h.cluster.get(key)?.spec[path: ["template", "spec", "containers"]]?.arrayValue?.first?["image"] == "nginx:1.26")
        let dry = try await h.kubectl("apply", "--server-side", "--dry-run=server", "-f", "-", input: Self.manifest(replicas: 9, image: "nginx:1.26"))
        #expect(dry.stdout == "deployment.apps/web serverside-applied (server dry run)\n", "\(dry)")
        #expect(h.cluster.get(key)?.spec["replicas"] == 2)

        // kubectl strips managedFields from -o yaml itself; the server sends them.
        let plain = try await h.kubectl("get", "deployment", "web", "-o", "yaml")
        #expect(plain.status == 0)
        #expect(!plain.stdout.contains("managedFields"), "\(plain)")
        let shown = try await h.kubectl("get", "deployment", "web", "-o", "yaml", "--show-managed-fields")
        for line in [
            "  managedFields:", "    manager: kubectl", "    operation: Apply", "        f:replicas: {}",
            "              k:{\"name\":\"nginx\"}:", "                  k:{\"containerPort\":80,\"protocol\":\"TCP\"}:",
        ] {
            #expect(shown.lines.contains(line), "missing \(line) in \(shown)")
        }
        await h.stop()
    }

    @Test func applyConflictsWithScaleUntilForced() async throws {
        let h = try await KubectlHarness.start()
        #expect(try await h.kubectl("apply", "--server-side", "-f", "-", input: Self.manifest(replicas: 2)).status == 0)
        let scaled = try await h.kubectl("scale", "deployment", "web", "--replicas=5")
        #expect(scaled.status == 0, "\(scaled)")
        let conflict = try await h.kubectl("apply", "--server-side", "-f", "-", input: Self.manifest(replicas: 2))
        #expect(conflict.status == 1, "\(conflict)")
        #expect(
            conflict.stderr.hasPrefix(
                "error: Apply failed with 1 conflict: conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas\n"
                    + Self.conflictHelp), "\(conflict)")
        let key = ObjectKey(.deployments, namespace: "default", name: "web")
        #expect(h.cluster.get(key)?.spec["replicas"] == 5)

        let forced = try await h.kubectl("apply", "--server-side", "--force-conflicts", "-f", "-", input: Self.manifest(replicas: 2))
        #expect(forced.status == 0, "\(forced)")
        let after = try #require(h.cluster.get(key))
        #expect(after.spec["replicas"] == 2)
        #expect(after.metadata.managedFields.allSatisfy { $0.subresource != "scale" }, "\(after.metadata.managedFields)")
        await h.stop()
    }

    @Test func ownershipSurvivesARestart() async throws {
        let dir = try KubectlHarness.makeDirectory()
        let first = try await KubectlHarness.start(directory: dir)
        #expect(try await first.kubectl("apply", "--server-side", "-f", "-", input: Self.manifest(replicas: 2)).status == 0)
        #expect(try await first.kubectl("scale", "deployment", "web", "--replicas=3").status == 0)
        await first.stop()
        let second = try await KubectlHarness.start(directory: dir)
        let conflict = try await second.kubectl("apply", "--server-side", "-f", "-", input: Self.manifest(replicas: 2))
        #expect(conflict.status == 1, "\(conflict)")
        #expect(conflict.stderr.contains("conflict with \"kubectl\" with subresource \"scale\" using apps/v1: .spec.replicas"), "\(conflict)")
        await second.stop()
    }

    @Test func serverSideApplyAfterClientSideApplyConflictsOnWhatDiffers() async throws {
        let h = try await KubectlHarness.start()
        let csa = try await h.kubectl("apply", "-f", "-", input: Self.manifest(replicas: 2, name: "csa"))
        #expect(csa.status == 0, "\(csa)")
        let ssa = try await h.kubectl("apply", "--server-side", "-f", "-", input: Self.manifest(replicas: 4, name: "csa"))
        #expect(ssa.status == 1, "\(ssa)")
        #expect(
            ssa.stderr.hasPrefix(
                "error: Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas\n"),
            "\(ssa)")
        await h.stop()
    }

    @Test func chunkedGetListsEveryPodAcrossPages() async throws {
        let h = try await KubectlHarness.start()
        #expect(try await h.kubectl("apply", "--server-side", "-f", "-", input: Self.manifest(replicas: 7)).status == 0)
        let whole = try await h.kubectl("get", "pods", "-A", "--chunk-size=0")
        let chunked = try await h.kubectl("get", "pods", "-A", "--chunk-size=2", "-v=6")
        #expect(chunked.status == 0, "\(chunked)")
        #expect(chunked.lines == whole.lines, "\(chunked)\n\(whole)")
        #expect(whole.lines.count == 1 + 6 + 7, "\(whole)")
        // One request per page of two, each after the first with the previous page's token.
        let requests = chunked.stderr.split(separator: "\n").filter { $0.contains("GET http") && $0.contains("/api/v1/pods?") }
        #expect(requests.count == 7, "\(chunked.stderr)")
        #expect(requests.dropFirst().allSatisfy { $0.contains("continue=") }, "\(chunked.stderr)")
        await h.stop()
    }

    @Test func getWatchStillStreamsChanges() async throws {
        let h = try await KubectlHarness.start()
        let watch = try h.launch(["get", "deployments", "-w"])
        try await eventually("the watch lists the bookinfo deployments") { watch.stdout.contains("productpage-v1") }
        #expect(try await h.kubectl("apply", "--server-side", "-f", "-", input: Self.manifest(replicas: 1)).status == 0)
        try await eventually("the watch shows the applied deployment") {
            watch.stdout.split(separator: "\n").contains { $0.hasPrefix("web ") }
        }
        await watch.stop()
        await h.stop()
    }
}
