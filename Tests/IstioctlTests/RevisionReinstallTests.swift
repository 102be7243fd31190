import Emulator
import Foundation
import Kubernetes
import TestKit
import Testing

/// A revision every proxy uses, uninstalled and installed again: the proxies lose their istiod,
/// keep running, and all reconnect to the new one and report SYNCED — the uninstall/re-install
/// counterpart of `SidecarStoryTests.proxiesReconnectAndResyncWhenTheirIstiodComesBack`.
@Suite(.serialized)
struct RevisionReinstallTests {
    @Test func proxiesReconnectAndSyncWhenTheirRevisionIsReinstalled() async throws {
        try await KubectlHarness.withLive { h in
            try await eventually(timeout: .seconds(30)) { SidecarStoryTests.connected(h) == ["default": 7] }
            let install = try await h.istioctl("1.6.0", "install", "-y", "--set", "revision=canary")
            #expect(install.status == 0, "\(install)")
            let label = try await h.kubectl("label", "namespace", "default", "istio-injection-", "istio.io/rev=canary")
            #expect(label.status == 0, "\(label)")
            try await SidecarStoryTests().restartBookinfo(h, until: ["default": 0, "canary": 7])

            let removed = try await h.istioctl("1.7.0", "x", "uninstall", "--revision", "canary", "-y", "--force")
            #expect(removed.status == 0 && removed.lines.last == "✔ Uninstall complete", "\(removed)")
            #expect(await h.emulator.istiods.waitUntil { $0.map(\.revision.name) == ["default"] })
            // Nobody serves the canary's pods now; they keep running, their proxies retrying.
            #expect(SidecarStoryTests.connected(h) == ["default": 0])
            #expect(h.cluster.world.pods(in: "default").count { $0.isReady } == 6)

            let again = try await h.istioctl("1.6.0", "install", "-y", "--set", "revision=canary")
            #expect(again.status == 0, "\(again)")
            try await eventually("\(SidecarStoryTests.connected(h))", timeout: .seconds(30)) {
                SidecarStoryTests.connected(h) == ["default": 0, "canary": 7]
            }
            let canaryPod = try #require(h.emulator.istiods.istiods().first { $0.revision.name == "canary" }?.podName)
            var status: ProcessRun?
            // Connected is not yet acknowledged: wait (bounded) until every row shows SYNCED.
            try await eventually("\(status.map(\.description) ?? "")", timeout: .seconds(30), pollingEvery: .milliseconds(200)) {
                let run = try await h.istioctl("1.6.0", "proxy-status")
                status = run
                return run.lines.count == 8
                    && run.lines.dropFirst().allSatisfy { SidecarStoryTests.isSynced($0, istiod: canaryPod) }
            }
        }
    }
}
