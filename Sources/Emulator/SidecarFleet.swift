import EmulatorAPI
import Foundation
import Istiod
import JSON
import Kubernetes
import KubeRuntime
import Istio
import Sidecar
import Synchronization

/// Keeps one proxy per running injected pod (gateways as `router`), connected to the istiod its
/// injection named: the pod's discovery host (`istiod-canary.istio-system.svc`) is looked up in
/// the `IstiodFleet`, as DNS + the Service's ClusterIP would resolve it. A pod that terminates
/// loses its proxy; a restarted Deployment's new pods get new proxies on whatever revision the
/// injector picked for them. A proxy is a simulated `Sidecar`, or a real Envoy for the pods
/// `envoySelectors` pick. Every proxy's admin is reachable under its pod's root of `AdminRoutes`
/// on the emulator's API server (simulated) or on Envoy's own admin port.
///
/// `run()` does the work until cancelled, then stops every proxy. Reconciliations run one at a
/// time on that task; reads (`proxies()`) may come from anywhere.
package final class SidecarFleet: Sendable {
    /// What `xdsemu up --envoy` selects: a pod name prefix (`details-v1`) or a label (`app=details`).
    package struct EnvoySelection: Sendable {
        package var selectors: [String]
        package var binary: String
        /// Where each Envoy's bootstrap and log go (`<dir>/<ns>.<pod>/`).
        package var directory: String

        package init(selectors: [String], binary: String, directory: String) {
            self.selectors = selectors
            self.binary = binary
            self.directory = directory
        }

        func picks(_ pod: PodView) -> Bool {
            selectors.contains { s in
                if let eq = s.firstIndex(of: "=") {
                    return pod.labels[String(s[..<eq])] == String(s[s.index(after: eq)...])
                }
                return pod.name.hasPrefix(s) || "\(pod.name).\(pod.namespace)" == s
            }
        }
    }

    enum Proxy: Sendable {
        case simulated(Sidecar)
        case envoy(EnvoySidecar)
    }

    struct Running: Sendable {
        var proxy: Proxy
        /// As `/xdsemu/v1/proxies` lists it.
        var status: ProxyStatus
        /// The loopback port of the istiod it dials.
        var discoveryPort: Int
    }

    package let admin: AdminRoutes
    let cluster: LiveWorld
    let istiods: IstiodFleet
    let configuration: Sidecar.Configuration
    let envoy: EnvoySelection?
    /// Where the running Envoys' PIDs are kept for the next daemon (nil without `--envoy`).
    let envoyPIDs: EnvoyPIDFile?
    private let state = Mutex<[String: Running]>([:])
    private let descriptors = DescriptorBudget()
    private let pass = Mutex(PassState())

    /// What one reconciliation leaves for the next.
    struct PassState {
        /// Pods that want a proxy and have none yet (no istiod behind their host, no descriptors,
        /// a start that failed): looked at again on every pass.
        var waiting: [String: ObjectKey] = [:]
        /// Each istiod host's loopback port at the last pass: when one moves, every proxy is checked.
        var ports: [String: Int] = [:]
    }

    package init(
        cluster: LiveWorld, istiods: IstiodFleet, admin: AdminRoutes,
        configuration: Sidecar.Configuration = .init(), envoy: EnvoySelection? = nil
    ) {
        self.cluster = cluster
        self.istiods = istiods
        self.admin = admin
        self.configuration = configuration
        self.envoy = envoy
        self.envoyPIDs = envoy.map { EnvoyPIDFile(envoyDirectory: $0.directory) }
    }

    /// The running proxies, by namespace then pod.
    package func proxies() -> [ProxyStatus] {
        state.withLock { Array($0.values) }.map { running in
            var status = running.status
            // A simulated proxy's root is on the API server, whose port is known only once it
            // listens: read now, not when the proxy started.
            if case .simulated = running.proxy { status.admin = admin.baseURL(namespace: status.namespace, pod: status.pod) }
            return status
        }.sorted { ($0.namespace, $0.pod) < ($1.namespace, $1.pod) }
    }

    /// Every running simulated proxy with its status (real Envoys are left out).
    package func simulated() -> [(ProxyStatus, Sidecar)] {
        state.withLock { s in
            s.values.compactMap { running in
                guard case .simulated(let sidecar) = running.proxy else { return nil }
                return (running.status, sidecar)
            }
        }
    }

    /// The simulated proxy of a pod (nil for none, or when Envoy runs there).
    package func sidecar(namespace: String, pod: String) -> Sidecar? {
        guard case .simulated(let s)? = state.withLock({ $0["\(namespace)/\(pod)"]?.proxy }) else { return nil }
        return s
    }

    /// Reconciles after every change to the world and every `resync` (an istiod may come up
    /// after the pod that needs it), until cancelled; then stops every proxy.
    /// Envoys a previous daemon on this state directory left running (it was SIGKILLed before its
    /// watchdogs noticed, or they were stopped) are killed first.
    package func run(resync: Duration = .milliseconds(250)) async {
        envoyPIDs?.killLeftovers()
        await cluster.reconcileLoop(resync: resync, changes: { [self] changes in await reconcile(changes: changes) })
        await stopAll()
    }

    /// One pass over every pod: start proxies for running injected pods, stop those whose pods
    /// went away, and replace those whose istiod now listens elsewhere.
    package func reconcile() async { await reconcile(changes: nil) }

    /// One pass over the pods `changes` names (nil: every pod), those still waiting for their
    /// istiod or for descriptors, and — when an istiod moved — every running proxy. A write
    /// touches a few pods; looking at all of them on every pass made a large scale-up quadratic.
    func reconcile(changes: [WorldEvent]?) async {
        let world = cluster.world
        let ports = Dictionary(istiods.istiods().map { ($0.host, $0.port) }, uniquingKeysWith: { a, _ in a })
        let (candidates, checkMoves) = pass.withLock { p -> (Set<ObjectKey>, Bool) in
            defer { p.ports = ports }
            var keys = Set(p.waiting.values)
            if let changes {
                for event in changes where event.object.resource == .pods { keys.insert(event.object.key) }
            } else {
                keys.formUnion(world.list(.pods).map(\.key))
            }
            return (keys, changes == nil || p.ports != ports)
        }
        var wanted: [String: ProxyView] = [:]
        var unwanted: Set<String> = []
        for key in candidates {
            let name = "\(key.namespace)/\(key.name)"
            if let proxy = world.get(key).flatMap(ProxyView.init), proxy.pod.phase == "Running", !proxy.pod.isTerminating,
                !proxy.pod.ip.isEmpty
            {
                wanted[name] = proxy
            } else {
                unwanted.insert(name)
            }
        }
        let stale = state.withLock { s -> [Running] in
            var gone: [Running] = []
            let look = changes == nil || checkMoves ? Array(s.keys) : Array(unwanted)
            for key in look {
                guard let running = s[key] else { continue }
                let moved = istiods.port(forHost: running.status.discoveryHost).map { $0 != running.discoveryPort } ?? false
                if unwanted.contains(key) || (changes == nil && wanted[key] == nil) || moved {
                    gone.append(running)
                    s[key] = nil
                }
            }
            return gone
        }
        await stop(stale)
        let missing = state.withLock { s in wanted.filter { s[$0.key] == nil } }
        pass.withLock { p in
            for key in unwanted { p.waiting[key] = nil }
            for (key, proxy) in missing { p.waiting[key] = ObjectKey(.pods, namespace: proxy.pod.namespace, name: proxy.pod.name) }
        }
        guard !missing.isEmpty else { return }
        // Proxies open their sockets after they start: their descriptors count as spent from
        // the start, or a burst of pods ready at one instant would all pass the budget.
        var promised = state.withLock { $0.values.reduce(0) { $0 + Self.descriptorCost(real: $1.status.implementation == "envoy") } }
        for (key, proxy) in missing.sorted(by: { $0.key < $1.key }) {
            // No live istiod behind the host yet: retried on the next pass.
            guard let port = istiods.port(forHost: proxy.discoveryHost) else { continue }
            let cost = Self.descriptorCost(real: envoy?.picks(proxy.pod) ?? false)
            guard descriptors.allows(cost, committed: promised, for: "the proxy of pod \(proxy.pod.namespace)/\(proxy.pod.name)") else { continue }
            promised += cost
            guard let running = await start(proxy, loopbackPort: port) else { continue }
            state.withLock { $0[key] = running }
            pass.withLock { _ = $0.waiting.removeValue(forKey: key) }
        }
    }

    /// Two sockets a proxy (its own and istiod's end); a real Envoy also has its admin
    /// listener, log and pipes.
    private static func descriptorCost(real: Bool) -> Int { real ? 16 : 2 }

    private func start(_ proxy: ProxyView, loopbackPort: Int) async -> Running? {
        let pod = proxy.pod
        let declaredPort = proxy.discoveryAddress.split(separator: ":").last.flatMap { UInt32($0) } ?? 15012
        let bootstrap = SidecarBootstrap(
            pod: .init(name: pod.name, namespace: pod.namespace, ip: pod.ip, labels: pod.labels, serviceAccount: pod.serviceAccount),
            istioVersion: proxy.istioVersion,
            discovery: .init(host: proxy.discoveryHost, port: declaredPort, resolvedPort: UInt32(loopbackPort)),
            proxyType: proxy.kind == .router ? .router : .sidecar,
            xdsThroughAgent: IstioVersion(proxy.istioVersion)?.has(.xdsThroughAgent) ?? false)
        var status = ProxyStatus(
            namespace: pod.namespace, pod: pod.name, kind: proxy.kind.rawValue, implementation: "simulated",
            istioVersion: proxy.istioVersion, discoveryHost: proxy.discoveryHost, discoveryAddress: "127.0.0.1:\(loopbackPort)",
            admin: "")
        if let envoy, envoy.picks(pod) {
            let dir = URL(fileURLWithPath: envoy.directory).appendingPathComponent("\(pod.name).\(pod.namespace)")
            do {
                let process = try await EnvoySidecar.start(bootstrap: bootstrap, binary: envoy.binary, directory: dir)
                envoyPIDs?.add(process.pid)
                status.implementation = "envoy"
                status.admin = process.adminBaseURL
                return Running(proxy: .envoy(process), status: status, discoveryPort: loopbackPort)
            } catch {
                // Said once per attempt on stderr; the pod keeps no proxy until a later pass succeeds.
                FileHandle.standardError.write(Data("xdsemu: \(error)\n".utf8))
                return nil
            }
        }
        guard let sidecar = try? Sidecar(bootstrap: bootstrap, configuration: configuration) else { return nil }
        admin.register(sidecar)
        return Running(proxy: .simulated(sidecar), status: status, discoveryPort: loopbackPort)
    }

    private func stop(_ running: Running) async {
        switch running.proxy {
        case .simulated(let sidecar):
            admin.unregister(namespace: running.status.namespace, pod: running.status.pod)
            await sidecar.stop()
        case .envoy(let process):
            process.stop()
            envoyPIDs?.remove(process.pid)
        }
    }

    private func stopAll() async {
        let all = state.withLock { s -> [Running] in
            defer { s = [:] }
            return Array(s.values)
        }
        await stop(all)
    }

    /// Stops proxies concurrently: each waits up to its stop grace for istiod to end its stream,
    /// and a rollout stops several at once.
    private func stop(_ proxies: [Running]) async {
        await withTaskGroup(of: Void.self) { group in
            for running in proxies { group.addTask { await self.stop(running) } }
        }
    }
}
