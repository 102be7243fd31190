import Foundation
import JSON
import Kubernetes
import KubeRuntime
import Istio
import AsyncCondition
import Synchronization
import XDSTransport

/// Keeps one live `Istiod` per installed revision that has a ready istiod pod, and registers each
/// under its service host (`istiod.istio-system.svc`, `istiod-canary.istio-system.svc`) so
/// proxies can be pointed at the right loopback port. Follows the world: a new revision's server
/// starts when its istiod pod becomes ready, every world change is pushed to every server, and
/// deleting a revision's Deployment (or losing its last ready pod) takes its server down.
///
/// `run()` does the work until cancelled, then stops every server. Reconciliations run one at a
/// time on that task; reads (`istiods`, `port(forHost:)`) may come from anywhere.
package final class IstiodFleet: Sendable {
    package let cluster: LiveWorld
    package let namespace: String
    private let state = Mutex<State>(State())
    private let waiters = ConditionWaiters<[Istiod]>()

    struct State {
        var servers: [String: Istiod] = [:]
        var reconciliations = 0
        /// The last loopback port of each revision: a restarted istiod binds it again, as a
        /// Service keeps its ClusterIP while its pods come and go, so proxies reconnect to the
        /// address they already have.
        var ports: [String: Int] = [:]
    }

    package init(cluster: LiveWorld, namespace: String = "istio-system") {
        self.cluster = cluster
        self.namespace = namespace
    }

    /// The running servers, by revision name.
    package func istiods() -> [Istiod] {
        state.withLock { $0.servers.values.sorted { $0.revision.name < $1.revision.name } }
    }

    /// The loopback port serving `host` (`istiod-canary.istio-system.svc`, with or without `:15012`).
    package func port(forHost host: String) -> Int? {
        let bare = host.split(separator: ":").first.map(String.init) ?? host
        return state.withLock { s in s.servers.values.first { $0.host == bare || "\($0.host).cluster.local" == bare }?.port }
    }

    /// Reconciles now and after every change to the world, until the task is cancelled or the
    /// cluster closes; then stops every server.
    package func run() async {
        await cluster.reconcileLoop { [self] in await reconcile() }
        await stopAll()
    }

    /// One pass: start, restart, stop and update servers to match the world.
    package func reconcile() async {
        let world = cluster.world
        let wanted = world.istioRevisions(namespace: namespace).filter { !$0.readyPods.isEmpty }
        var stale: [Istiod] = []
        var missing: [IstioRevision] = []
        state.withLock { s in
            for (name, server) in s.servers {
                guard let revision = wanted.first(where: { $0.name == name }), revision.version == server.revision.version,
                    revision.readyPods.contains(server.podName)
                else {
                    stale.append(server)
                    s.servers[name] = nil
                    continue
                }
            }
            missing = wanted.filter { s.servers[$0.name] == nil }
        }
        for server in stale { await server.stop() }
        for revision in missing {
            let previous = state.withLock { $0.ports[revision.name] } ?? 0
            // The old port may be taken by now: then any free one. A server that cannot bind at
            // all is retried on the next change.
            guard
                let server = (try? Istiod(revision: revision, podName: revision.readyPods[0], world: world, port: previous))
                    ?? (previous == 0 ? nil : try? Istiod(revision: revision, podName: revision.readyPods[0], world: world))
            else { continue }
            state.withLock {
                $0.servers[revision.name] = server
                $0.ports[revision.name] = server.port
            }
        }
        for server in istiods() { server.apply(world) }
        if !wanted.isEmpty { await closeValidation(world, serving: Set(wanted.map(\.name))) }
        state.withLock { $0.reconciliations += 1 }
        waiters.changed(istiods())
    }

    /// What a serving istiod's webhook controller does: Istio's validator fails closed from now on.
    private func closeValidation(_ world: World, serving: Set<String>) async {
        for validator in world.list(.validatingWebhookConfigurations) {
            if let closed = world.closingValidation(validator, serving: serving) { _ = try? await cluster.update(closed) }
        }
    }

    /// Waits until `condition` holds for the running servers (checked now and after each
    /// reconciliation) or `timeout` passes; returns whether it held.
    @discardableResult
    package func waitUntil(timeout: Duration = .seconds(10), _ condition: @escaping @Sendable ([Istiod]) -> Bool) async -> Bool {
        await waiters.wait(timeout: timeout, current: { [self] in istiods() }, until: condition)
    }

    private func stopAll() async {
        let servers = state.withLock { s -> [Istiod] in
            defer { s.servers = [:] }
            return Array(s.servers.values)
        }
        for server in servers { await server.stop() }
    }
}
