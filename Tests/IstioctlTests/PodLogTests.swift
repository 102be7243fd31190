import Emulator
import Foundation
import Kubernetes
import KubeRuntime
import TestKit
import Testing
import XDSModel

/// `kubectl logs` against live istiods and proxies: istiod's `discovery` container names every
/// proxy that connected, a proxy's `istio-proxy` container its own config updates, and the API
/// server's and kubelet's refusals come back as kubectl prints them.
@Suite(.serialized)
struct PodLogTests {
    static func connected(_ h: KubectlHarness) -> Int {
        h.emulator.istiods.istiods().reduce(0) { $0 + $1.server.connections().count { $0.node != nil } }
    }

    /// `2026-…T…Z\tinfo\tads\tADS:CDS: REQ sidecar~IP~POD.NS~NS.svc.cluster.local-N version:` (Istio 1.5).
    static func isConnectionLine(_ line: String, pod: String) -> Bool {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 4, Timestamp(rfc3339: fields[0]) != nil, fields[0].count == 27 else { return false }
        return fields[1] == "info" && fields[2] == "ads" && fields[3].hasPrefix("ADS:CDS: REQ sidecar~")
            && fields[3].contains("~\(pod).default~default.svc.cluster.local-") && fields[3].hasSuffix(" version:")
    }

    @Test func kubectlLogsShowsWhatIstiodAndTheProxiesDid() async throws {
        try await KubectlHarness.withLive { h in
            try await eventually("\(Self.connected(h))", timeout: .seconds(30)) { Self.connected(h) == 7 }
            let world = h.cluster.world
            let bookinfo = world.pods(in: "default").map(\.name)
            let istiod = try #require(world.pods(in: "istio-system").first { $0.name.hasPrefix("istiod-") }?.name)
            let details = try #require(bookinfo.first { $0.hasPrefix("details-v1-") })

            // istiod's log names each proxy that connected.
            let logs = try await h.kubectl("logs", "-n", "istio-system", "deploy/istiod")
            #expect(logs.status == 0, "\(logs)")
            for pod in bookinfo {
                #expect(logs.lines.contains { Self.isConnectionLine($0, pod: pod) }, "\(pod) in\n\(logs.stdout)")
            }

            // The proxy's own log: Envoy applied its clusters; --tail and --timestamps.
            let proxy = try await h.kubectl("logs", details, "-c", "istio-proxy")
            #expect(proxy.lines.contains { $0.contains("\tinfo\tenvoy upstream\tcds: added/updated ") }, "\(proxy)")
            let tail = try await h.kubectl("logs", details, "-c", "istio-proxy", "--tail=1", "--timestamps")
            #expect(tail.lines.count == 1, "\(tail)")
            let stamp = tail.lines.first?.split(separator: " ").first.map(String.init) ?? ""
            #expect(stamp.count == 30 && Timestamp(rfc3339: stamp) != nil, "\(tail)")
            let app = try await h.kubectl("logs", details, "-c", "details")
            #expect(app.status == 0 && app.stdout.isEmpty, "\(app)")

            // The refusals.
            let previous = try await h.kubectl("logs", details, "-c", "details", "--previous")
            #expect(previous.status != 0)
            #expect(
                previous.stderr.contains(
                    "Error from server (BadRequest): previous terminated container \"details\" in pod \"\(details)\" not found"),
                "\(previous)")
            let missing = try await h.kubectl("logs", details, "-c", "nope")
            #expect(missing.stderr.contains("container nope is not valid for pod \(details)"), "\(missing)")
            let unnamed = try await h.request("GET", "/api/v1/namespaces/default/pods/\(details)/log")
            #expect(unnamed.status == 400)
            #expect(
                String(decoding: unnamed.body, as: UTF8.self).contains(
                    "a container name must be specified for pod \(details), choose one of: [istio-init details istio-proxy]"),
                "\(String(decoding: unnamed.body, as: UTF8.self))")

            // -f: a new proxy's connection arrives on the open stream; deleting the pod ends it.
            let follow = try h.launch(["logs", "-f", "-n", "istio-system", istiod])
            try await eventually(follow.stdout) { bookinfo.allSatisfy { pod in follow.stdout.contains("~\(pod).default~") } }
            _ = try await h.kubectl("scale", "deployment", "details-v1", "--replicas=2")
            try await eventually("\(follow.stdout)", timeout: .seconds(30)) {
                let new = h.cluster.world.pods(in: "default").map(\.name).filter { !bookinfo.contains($0) }
                return new.count == 1 && follow.stdout.split(separator: "\n").contains { Self.isConnectionLine(String($0), pod: new[0]) }
            }
            #expect(follow.isRunning)
            _ = try await h.kubectl("delete", "pod", "-n", "istio-system", istiod, "--wait=false")
            #expect(await follow.waitForExit(timeout: .seconds(30)), "kubectl logs -f still running after the pod was deleted")
            #expect(h.emulator.logs.logs.followerCount == 0)
        }
    }

    /// A cluster every proxy refuses: istiod logs the NACK by connection, each proxy Envoy's
    /// rejection (Istio 1.5 layouts).
    @Test func nacksShowInBothLogs() async throws {
        try await KubectlHarness.withLive { h in
            try await eventually("\(Self.connected(h))", timeout: .seconds(30)) { Self.connected(h) == 7 }
            let istiod = try #require(h.emulator.istiods.istiods().first)
            let details = try #require(h.cluster.world.pods(in: "default").first { $0.name.hasPrefix("details-v1-") }?.name)
            // connect_timeout must be > 0: Envoy's own validation refuses it.
            let bad = Cluster(name: "outbound|80||bad.default.svc.cluster.local", type: .eds, connectTimeout: ProtoDuration(seconds: 0))
            let current = istiod.server.snapshot(of: .cluster).entries.values.map(\.value)
            istiod.server.update(.cluster, current + [.cluster(bad)])
            let type = TypeURL.cluster.rawValue
            try await eventually(timeout: .seconds(30)) {
                let log = try await h.kubectl("logs", details, "-c", "istio-proxy").stdout
                return log.contains("\twarning\tenvoy config\tgRPC config for \(type) rejected: ")
            }
            let log = try await h.kubectl("logs", "-n", "istio-system", istiod.podName)
            let nack = log.lines.first { $0.contains("\twarn\tads\tADS:CDS: ACK ERROR sidecar~") && $0.contains("~\(details).default~") }
            #expect(nack?.contains(" Internal:") == true, "\(log.stdout)")
        }
    }
}
