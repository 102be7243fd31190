import Emulator
import Foundation

/// What `xdsemu up` says about the proxies once the world is up: how many are connected to which
/// istiod, where their admin views are, and which run a real Envoy.
enum ProxyReport {
    /// Waits (bounded) until `expected` proxies hold a stream to some istiod.
    static func waitForConnections(_ emulator: Emulator, expected: Int, timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline, connected(emulator) < expected {
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    static func connected(_ emulator: Emulator) -> Int {
        emulator.istiods.istiods().reduce(0) { $0 + $1.server.connections().count { $0.node != nil } }
    }

    static func print(_ emulator: Emulator) {
        let proxies = emulator.sidecars.proxies()
        Swift.print("proxies: \(proxies.count) running, \(connected(emulator)) connected over xDS")
        for istiod in emulator.istiods.istiods() {
            let n = istiod.server.connections().count { $0.node != nil }
            Swift.print("  \(n) on \(istiod.revision.name == "default" ? "istiod" : "istiod-\(istiod.revision.name)") (\(istiod.podName))")
        }
        Swift.print("Sidecar admin (Envoy's :15000 of each pod): \(emulator.serverURL)/pods/NAMESPACE/POD/")
        // The admin roots sit behind the API's token like everything on that server.
        Swift.print("  with the kubeconfig's token: curl -H \"Authorization: Bearer $(awk '/token:/ {print $2}' \(emulator.kubeconfigPath) | tr -d '\"')\" …")
        for envoy in proxies where envoy.implementation == "envoy" {
            Swift.print("  real Envoy for \(envoy.pod).\(envoy.namespace): admin \(envoy.admin)")
        }
    }
}
