import EmulatorAPI
import Istiod
import ServiceLifecycle
import XDSModel

/// Runs the `SidecarFleet` in the emulator's service group; on graceful shutdown every proxy
/// closes its stream (Envoys are killed).
struct SidecarFleetService: Service {
    let fleet: SidecarFleet

    func run() async throws {
        // Ends by cancellation only.
        await cancelWhenGracefulShutdown { await fleet.run() }
    }
}

extension IstiodFleet {
    /// What `GET /xdsemu/v1/syncz` answers: per live istiod, what its xDS server knows about each
    /// connected proxy — istiod's `/debug/syncz` (`SyncStatus` in Istio 1.6's
    /// `pilot/pkg/proxy/envoy/v2/debug.go`): proxy id, `istio_version` from the node's metadata,
    /// and the nonces sent and acknowledged per type, from `XDSServer.connections()`.
    func syncz() -> [Syncz] {
        let types: [(SyncStatus.XDSType, TypeURL)] = [
            (.cluster, .cluster), (.listener, .listener), (.route, .route), (.endpoint, .endpoint),
        ]
        return istiods().map { istiod in
            let proxies = istiod.server.connections().compactMap { c -> SyncStatus? in
                guard let node = c.node else { return nil }
                var nonces: [SyncStatus.XDSType: SyncStatus.Nonces] = [:]
                for (key, type) in types {
                    let watch = c.watches[type]
                    nonces[key] = SyncStatus.Nonces(
                        sent: watch?.sentNonce?.rawValue ?? "", acked: watch?.ackedNonce?.rawValue ?? "",
                        nack: watch?.lastNack?.message)
                }
                return SyncStatus(
                    proxy: Self.proxyID(nodeID: node.id), istioVersion: node.metadataString("ISTIO_VERSION") ?? "",
                    nonces: nonces)
            }
            return Syncz(
                istiod: istiod.podName, revision: istiod.revision.name, version: istiod.revision.version.description,
                proxies: proxies)
        }
    }

    /// `sidecar~10.0.0.1~details-v1-x.default~default.svc.cluster.local` → `details-v1-x.default`
    /// (istiod keys proxies by the id part of the node id).
    static func proxyID(nodeID: String) -> String {
        let parts = nodeID.split(separator: "~", omittingEmptySubsequences: false)
        return parts.count == 4 ? String(parts[2]) : nodeID
    }
}
