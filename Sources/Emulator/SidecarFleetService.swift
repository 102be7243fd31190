import Istiod
import JSON
import Kubernetes
import KubeRuntime
import Istio
import PushCore
import ServiceLifecycle
import XDSModel

/// Runs the `SidecarFleet` in the emulator's service group; on graceful shutdown every proxy
/// closes its stream (Envoys are killed) and the admin server stops.
struct SidecarFleetService: Service {
    let fleet: SidecarFleet

    func run() async throws {
        // Ends by cancellation only; the admin server goes down after every proxy.
        try? await cancelWhenGracefulShutdown { await fleet.run() }
        await fleet.admin.stop()
    }
}

extension SidecarFleet {
    static let proxiesPath = "/xdsemu/v1/proxies"

    /// What `GET /xdsemu/v1/proxies` answers: each running proxy and its admin root, which
    /// istioctl reads where a real one would exec `pilot-agent request GET …` in the pod.
    func proxiesJSON() -> JSONValue {
        [
            "kind": "ProxyList", "apiVersion": "xdsemu.io/v1",
            "items": .array(
                proxies().map { p in
                    [
                        "namespace": .string(p.namespace), "pod": .string(p.pod), "kind": .string(p.kind),
                        "implementation": .string(p.implementation), "istioVersion": .string(p.istioVersion),
                        "discoveryHost": .string(p.discoveryHost), "discoveryAddress": .string("127.0.0.1:\(p.discoveryPort)"),
                        "admin": .string(p.adminBaseURL),
                    ]
                }),
        ]
    }
}

extension IstiodFleet {
    static let synczPath = "/xdsemu/v1/syncz"

    /// What `GET /xdsemu/v1/syncz` answers: per live istiod, what its xDS server knows about each
    /// connected proxy — istiod's `/debug/syncz` (`SyncStatus` in Istio 1.6's
    /// `pilot/pkg/proxy/envoy/v2/debug.go`): proxy id, `istio_version` from the node's metadata,
    /// and the nonces sent and acknowledged per type, from `XDSServer.connections()`.
    func synczJSON() -> JSONValue {
        let types: [(String, TypeURL)] = [
            ("cluster", .cluster), ("listener", .listener), ("route", .route), ("endpoint", .endpoint),
        ]
        return [
            "kind": "SyncStatusList", "apiVersion": "xdsemu.io/v1",
            "items": .array(
                istiods().map { istiod in
                    let proxies = istiod.server.connections().compactMap { c -> JSONValue? in
                        guard let node = c.node else { return nil }
                        var entry: JSONObject = [
                            "proxy": .string(Self.proxyID(nodeID: node.id)),
                            "istio_version": .string(node.metadataString("ISTIO_VERSION") ?? ""),
                        ]
                        for (prefix, type) in types {
                            let watch = c.watches[type]
                            entry["\(prefix)_sent"] = .string(watch?.sentNonce?.rawValue ?? "")
                            entry["\(prefix)_acked"] = .string(watch?.ackedNonce?.rawValue ?? "")
                            if let nack = watch?.lastNack { entry["\(prefix)_nack"] = .string(nack.message) }
                        }
                        return .object(entry)
                    }
                    return [
                        "istiod": .string(istiod.podName), "revision": .string(istiod.revision.name),
                        "version": .string(istiod.revision.version.description), "proxies": .array(proxies),
                    ]
                }),
        ]
    }

    /// `sidecar~10.0.0.1~details-v1-x.default~default.svc.cluster.local` → `details-v1-x.default`
    /// (istiod keys proxies by the id part of the node id).
    static func proxyID(nodeID: String) -> String {
        let parts = nodeID.split(separator: "~", omittingEmptySubsequences: false)
        return parts.count == 4 ? String(parts[2]) : nodeID
    }
}
