import Foundation
import Kubernetes
import TestKit
import Testing

/// StatefulSets and DaemonSets as the real kubectl sees them: listed (empty, so a command naming
/// them works), never created (the emulated cluster would not run them).
@Suite(.serialized)
struct ListOnlyKindsKubectlTests {
    @Test func listedEmptyAndCreatingOneIsRefusedWithTheReason() async throws {
        let h = try await KubectlHarness.start()
        let list = try await h.kubectl("get", "statefulsets,daemonsets,sts,ds", "-A")
        #expect(list.status == 0 && list.stdout.isEmpty && list.stderr == "No resources found\n", "\(list)")
        let yaml = try await h.kubectl("get", "deployments,statefulsets,daemonsets", "-A", "-o", "name")
        #expect(yaml.status == 0 && yaml.lines.count == 6, "\(yaml)")

        let file = "\(h.directory)/web.yaml"
        try """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata:
          name: web
        spec:
          serviceName: web
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - {name: web, image: nginx:1.27}

        """.write(toFile: file, atomically: true, encoding: .utf8)
        let create = try await h.kubectl("create", "-f", file)
        #expect(create.status == 1, "\(create)")
        #expect(
            create.stderr
                == "Error from server (MethodNotAllowed): error when creating \"\(file)\": create is not supported on resources of kind \"statefulsets.apps\": xdsemu runs no StatefulSet controller, so nothing would create its pods\n",
            "\(create)")
        #expect(h.cluster.world.list(.statefulSets).isEmpty)
        await h.stop()
    }
}
