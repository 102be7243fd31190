import Foundation
import Istio
import JSON
import Kubernetes
import TestKit
import Testing

/// Moving one workload to a canary by deleting its pod, with the real kubectl: the ReplicaSet's
/// replacement is injected by the canary; with the canary's istiod scaled to 0 the replacement is
/// refused and `kubectl describe rs` shows the FailedCreate event; scaled back, the pod appears,
/// injected.
@Suite(.serialized)
struct InjectorOutageKubectlTests {
    static func detailsPods(_ h: KubectlHarness) -> [PodView] {
        h.cluster.world.pods(in: "default").filter { $0.name.hasPrefix("details-v1-") && !$0.isTerminating }
    }

    @Test func aDeletedPodsReplacementIsAdmittedEvenWhileTheInjectorIsDown() async throws {
        try await KubectlHarness.withLive { h in
            let install = try await h.istioctl("1.6.0", "install", "--set", "revision=canary")
            #expect(install.status == 0, "\(install)")
            #expect(await h.emulator.istiods.waitUntil { $0.map(\.revision.name) == ["canary", "default"] })
            let label = try await h.kubectl("label", "namespace", "default", "istio-injection-", "istio.io/rev=canary")
            #expect(label.status == 0, "\(label)")

            // Delete one injected pod: its replacement comes from the canary's injector.
            let first = try #require(Self.detailsPods(h).first?.name)
            let delete = try await h.kubectl("delete", "pod", first, "--wait=false")
            #expect(delete.stdout == "pod \"\(first)\" deleted\n", "\(delete)")
            try await eventually(timeout: .seconds(20)) {
                h.cluster.world.proxies(in: "default").contains {
                    $0.pod.name.hasPrefix("details-v1-") && $0.pod.name != first && $0.revision == "canary" && $0.istioVersion == "1.6.0"
                }
            }
            let replacement = try #require(Self.detailsPods(h).first?.name)
            let containers = try await h.kubectl("get", "pod", replacement, "-o", "jsonpath={.spec.containers[*].name}")
            #expect(containers.stdout == "details istio-proxy", "\(containers)")

            // The canary's istiod scaled to 0: the next replacement is refused.
            let down = try await h.kubectl("scale", "deployment", "istiod-canary", "-n", "istio-system", "--replicas=0")
            #expect(down.status == 0, "\(down)")
            try await eventually(timeout: .seconds(20)) {
                !h.cluster.world.pods(in: "istio-system").contains { $0.name.hasPrefix("istiod-canary-") }
            }
            _ = try await h.kubectl("delete", "pod", replacement, "--wait=false")
            let rs = try #require(h.cluster.world.list(.replicaSets, namespace: "default").first {
                $0.name.hasPrefix("details-v1-") && ($0.spec["replicas"]?.intValue ?? 0) > 0
            }?.name)
            var described: ProcessRun?
            try await eventually("\(described.map(\.description) ?? "")", timeout: .seconds(20)) {
                described = try await h.kubectl("describe", "rs", rs)
                return described?.stdout.contains("FailedCreate") == true
            }
            let failed = try #require(described?.lines.first { $0.contains("FailedCreate") })
            #expect(failed.hasPrefix("  Warning  FailedCreate  "), "\(failed)")
            #expect(
                failed.hasSuffix(
                    "replicaset-controller  Error creating: Internal error occurred: failed calling webhook \"sidecar-injector.istio.io\": Post https://istiod-canary.istio-system.svc:443/inject?timeout=30s: no endpoints available for service \"istiod-canary\""),
                "\(described.map(\.description) ?? "")")
            #expect(Self.detailsPods(h).isEmpty)

            // Back to one replica: the ReplicaSet's retry creates the pod, injected by the canary.
            let up = try await h.kubectl("scale", "deployment", "istiod-canary", "-n", "istio-system", "--replicas=1")
            #expect(up.status == 0, "\(up)")
            try await eventually(timeout: .seconds(30)) {
                h.cluster.world.proxies(in: "default").contains {
                    $0.pod.name.hasPrefix("details-v1-") && $0.pod.name != replacement && $0.revision == "canary" && $0.pod.isReady
                }
            }
            let events = try await h.kubectl("get", "events", "--field-selector", "involvedObject.name=\(rs)", "-o", "wide")
            #expect(events.stdout.contains("SuccessfulCreate"), "\(events)")
        }
    }
}
