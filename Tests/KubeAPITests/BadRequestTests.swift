import Foundation
import Kubernetes
import TestKit
import Testing

/// Requests the API server refuses or only simulates, sent by the real kubectl: nothing is stored,
/// nothing is deleted, and the answer is the API server's.
@Suite(.serialized)
struct BadRequestTests {
    /// kubectl sends `--dry-run=server` for a delete in the DeleteOptions body, not the query.
    @Test func aServerDryRunDeleteDeletesNothing() async throws {
        let h = try await KubectlHarness.start()
        let before = h.cluster.world.pods(in: "default").map(\.name)
        let pod = try #require(before.first)
        let run = try await h.kubectl("delete", "pod", pod, "--dry-run=server")
        #expect(run.status == 0 && run.stdout.contains("pod \"\(pod)\" deleted (server dry run)"), "\(run)")
        let deployment = try await h.kubectl("delete", "deployment", "details-v1", "--dry-run=server")
        #expect(deployment.status == 0, "\(deployment)")
        #expect(h.cluster.world.pods(in: "default").map(\.name) == before)
        #expect(h.cluster.world.pods(in: "default").allSatisfy { !$0.isTerminating })
        #expect(h.cluster.world.get(ObjectKey(.deployments, namespace: "default", name: "details-v1")) != nil)
        await h.stop()
    }

    /// A selector the API server cannot parse is a 400 with its message, never "everything".
    @Test(arguments: [
        ("!", "unable to parse requirement: found '', expected: identifier"),
        ("app,", "found '', expected: identifier after ','"),
        ("a==b==c", "found '==', expected: ',' or 'end of string'"),
    ])
    func aBadSelectorIsRefusedAndSelectsNothing(selector: String, message: String) async throws {
        let h = try await KubectlHarness.start()
        let before = h.cluster.world.pods(in: "default").count
        let get = try await h.kubectl("get", "pods", "-l", selector)
        #expect(get.status != 0 && get.stderr.contains(message), "\(get)")
        let delete = try await h.kubectl("delete", "pods", "-l", selector)
        #expect(delete.status != 0, "\(delete)")
        #expect(h.cluster.world.pods(in: "default").filter { !$0.isTerminating }.count == before)
        await h.stop()
    }
}
