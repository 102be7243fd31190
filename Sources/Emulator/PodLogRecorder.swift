import Foundation
import Istio
import Istiod
import Kubernetes
import KubeRuntime
import PushCore
import ServiceLifecycle
import Sidecar
import Synchronization
import XDSModel

/// Writes into `ContainerLogs` what istiod's `discovery` container and each simulated proxy's
/// `istio-proxy` container would log for what really happened on the xDS streams: connections
/// and disconnections by proxy, full pushes, ACKs and NACKs, in each release's format
/// (`IstioLogFormat`). It learns them by comparing the istiod servers' connection tables and the
/// sidecars' states with what it saw last (`refresh()`), on a timer and before every log read,
/// so a read never misses what already happened. Logs of pods that went away are dropped and
/// their followers end when the pod starts terminating.
///
/// Real Envoys (`--envoy`) write their own log file; their `istio-proxy` log here stays empty.
package final class PodLogRecorder: Sendable {
    package let logs: ContainerLogs
    let cluster: LiveWorld
    let istiods: IstiodFleet
    let sidecars: SidecarFleet
    private let state = Mutex(State())

    struct Connection {
        var id: String
        var peer: String
        var nacks: [TypeURL: RPCStatus] = [:]
    }

    struct IstiodSeen {
        var connections: [StreamID: Connection] = [:]
        var accepted = 0
        var versions: [ResourceVersion] = []
        var pushes = 0
    }

    struct ProxySeen {
        var connected = false
        var clusterVersion = ResourceVersion.none
        var nacks: [TypeURL: Int] = [:]
    }

    struct State {
        var istiods: [String: IstiodSeen] = [:]
        var proxies: [String: ProxySeen] = [:]
    }

    package init(cluster: LiveWorld, istiods: IstiodFleet, sidecars: SidecarFleet, logs: ContainerLogs = ContainerLogs()) {
        self.cluster = cluster
        self.istiods = istiods
        self.sidecars = sidecars
        self.logs = logs
        logs.beforeRead { [weak self] in self?.refresh() }
    }

    /// Refreshes every `interval` until cancelled.
    package func run(interval: Duration = .milliseconds(250)) async {
        while !Task.isCancelled {
            refresh()
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }

    /// Compares what is now with what was seen and logs the difference. Serialised by the lock.
    package func refresh() {
        let world = cluster.world
        let now = cluster.clock.now()
        state.withLock { s in
            recordIstiods(world, now, &s)
            recordProxies(now, &s)
        }
        for key in logs.pods() {
            let parts = key.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { continue }
            let pod = world.get(ObjectKey(.pods, namespace: parts[0], name: parts[1]))
            if pod == nil {
                logs.forget(namespace: parts[0], pod: parts[1])
            } else if pod?.isTerminating == true {
                logs.end(namespace: parts[0], pod: parts[1])
            }
        }
    }

    private func recordIstiods(_ world: World, _ now: Timestamp, _ s: inout State) {
        var running: Set<String> = []
        for istiod in istiods.istiods() {
            let pod = istiod.podName
            running.insert(pod)
            let format = IstioLogFormat(version: istiod.revision.version)
            let container = ContainerLogs.Container(namespace: istiods.namespace, pod: pod, name: "discovery")
            var seen = s.istiods[pod] ?? IstiodSeen()
            let current = Dictionary(uniqueKeysWithValues: istiod.server.connections().map { ($0.stream, $0) })
            for (stream, status) in current.sorted(by: { $0.key < $1.key }) {
                guard let node = status.node else { continue }  // no first request yet
                var connection: Connection
                if let known = seen.connections[stream] {
                    connection = known
                } else {
                    seen.accepted += 1
                    connection = Connection(id: format.connectionID(nodeID: node.id, number: seen.accepted), peer: Self.peer(of: node.id))
                    logs.append(container, format.newConnection(connection.id, at: now), at: now)
                }
                for (type, watch) in status.watches.sorted(by: { $0.key < $1.key }) {
                    guard let nack = watch.lastNack, connection.nacks[type] != nack else { continue }
                    connection.nacks[type] = nack
                    let line = format.nack(connection.id, type: type.shortName, code: Self.codeName(nack.code), message: nack.message, at: now)
                    logs.append(container, line, at: now)
                }
                seen.connections[stream] = connection
            }
            for (stream, gone) in seen.connections where current[stream] == nil {
                logs.append(container, format.terminated(gone.id, peer: gone.peer, at: now), at: now)
                seen.connections[stream] = nil
            }
            let versions = [istiod.server.snapshot(of: .cluster).version, istiod.server.snapshot(of: .endpoint).version]
            if versions != seen.versions {
                seen.pushes += 1
                let line = format.push(
                    version: "\(now.rfc3339)/\(seen.pushes)", services: world.list(.services).count, connected: seen.connections.count,
                    at: now)
                logs.append(container, line, at: now)
                seen.versions = versions
            }
            s.istiods[pod] = seen
        }
        for pod in s.istiods.keys where !running.contains(pod) { s.istiods[pod] = nil }
    }

    private func recordProxies(_ now: Timestamp, _ s: inout State) {
        var running: Set<String> = []
        for (status, sidecar) in sidecars.simulated() {
            let key = "\(status.namespace)/\(status.pod)"
            running.insert(key)
            guard let version = IstioVersion(status.istioVersion) else { continue }
            let format = IstioLogFormat(version: version)
            let container = ContainerLogs.Container(namespace: status.namespace, pod: status.pod, name: "istio-proxy")
            let snapshot = sidecar.snapshot()
            var seen = s.proxies[key] ?? ProxySeen()
            let connected = snapshot.connection.isConnected
            if connected, !seen.connected, let line = format.proxyConnected(to: "\(snapshot.bootstrap.discovery.host):\(snapshot.bootstrap.discovery.port)", at: now) {
                logs.append(container, line, at: now)
            }
            seen.connected = connected
            let clusters = snapshot.clusters
            if clusters.acceptedVersion != seen.clusterVersion, clusters.acceptedVersion != .none {
                logs.append(container, format.clustersApplied(snapshot.config.clusters.count, at: now), at: now)
                seen.clusterVersion = clusters.acceptedVersion
            }
            for (type, sub) in [(TypeURL.cluster, clusters), (TypeURL.endpoint, snapshot.endpoints)] {
                if sub.nackCount > seen.nacks[type, default: 0], let nack = sub.lastNack {
                    logs.append(container, format.rejected(type.rawValue, message: nack.message, at: now), at: now)
                }
                seen.nacks[type] = sub.nackCount
            }
            s.proxies[key] = seen
        }
        for key in s.proxies.keys where !running.contains(key) { s.proxies[key] = nil }
    }

    /// The proxy's pod IP, from its node ID (`sidecar~IP~…`): where istiod sees it connect from.
    static func peer(of nodeID: String) -> String {
        let parts = nodeID.split(separator: "~", omittingEmptySubsequences: false)
        return parts.count >= 2 ? String(parts[1]) : nodeID
    }

    /// Go's `codes.Code.String()` (google.golang.org/grpc/codes).
    static func codeName(_ code: Int32) -> String {
        let names = [
            "OK", "Canceled", "Unknown", "InvalidArgument", "DeadlineExceeded", "NotFound", "AlreadyExists",
            "PermissionDenied", "ResourceExhausted", "FailedPrecondition", "Aborted", "OutOfRange", "Unimplemented",
            "Internal", "Unavailable", "DataLoss", "Unauthenticated",
        ]
        return names.indices.contains(Int(code)) ? names[Int(code)] : "Code(\(code))"
    }
}

/// Runs the recorder in the emulator's service group until graceful shutdown.
struct PodLogRecorderService: Service {
    let recorder: PodLogRecorder

    func run() async throws {
        await cancelWhenGracefulShutdown { await recorder.run() }
    }
}
