import EmulatorAPI
import Foundation
import Istiod
import KubeAPI
import Logging
import JSON
import Kubernetes
import KubeRuntime
import Istio
import ServiceLifecycle
import Sidecar
import UnixSignals
import WorldStore

/// The composition root: state directory + SQLite store + `LiveWorld` + Kubernetes API facade +
/// the real-time driver, run as one ServiceLifecycle group. `xdsemu up` runs it in the
/// foreground; tests start it in-process on a free port with a temporary state directory.
package final class Emulator: Sendable {
    package struct Options: Sendable {
        /// Holds the lock, and by default the database and kubeconfig.
        package var stateDirectory: String
        /// The SQLite database; default `<state dir>/world.sqlite`.
        package var databasePath: String?
        /// Where to write the kubeconfig; default `<state dir>/kubeconfig`.
        package var kubeconfigPath: String?
        /// The API port on 127.0.0.1; 0 picks a free one.
        package var port: Int
        /// Used only when the state directory has no world yet.
        package var worldConfig: WorldConfig
        /// nil: the system clock.
        package var clock: (any WorldClock)?
        /// How often the driver checks for due work.
        package var tickInterval: Duration
        /// Signals that stop the emulator gracefully (the daemon: SIGINT, SIGTERM; tests: none).
        package var shutdownSignals: [UnixSignal]
        /// Admission plugins; by default Istio's injector and validation (`istioAdmission`).
        package var admission: [any AdmissionControl]
        /// The Istio release a new default world comes with (nil: none), as the seed's 1.5.4.
        package var istio: IstioVersion?
        /// How often an idle watch writes a newline, so abandoned watches are noticed.
        package var watchHeartbeat: Duration
        /// How simulated proxies behave (reconnect backoff).
        package var sidecar: Sidecar.Configuration
        /// Pods that get a real Envoy instead of a simulated proxy (`xdsemu up --envoy`).
        package var envoy: SidecarFleet.EnvoySelection?
        /// Used only when the state directory has no world yet; nil: the default world.
        package var initialWorld: World? = nil

        package init(
            stateDirectory: String = ".xdsemu", databasePath: String? = nil, kubeconfigPath: String? = nil,
            port: Int = 0, worldConfig: WorldConfig = WorldConfig(), clock: (any WorldClock)? = nil,
            tickInterval: Duration = .milliseconds(100), shutdownSignals: [UnixSignal] = [],
            admission: [any AdmissionControl] = Emulator.istioAdmission, watchHeartbeat: Duration = .seconds(5),
            istio: IstioVersion? = nil, sidecar: Sidecar.Configuration = .init(),
            envoy: SidecarFleet.EnvoySelection? = nil
        ) {
            self.sidecar = sidecar
            self.envoy = envoy
            self.istio = istio
            self.watchHeartbeat = watchHeartbeat
            self.stateDirectory = stateDirectory
            self.databasePath = databasePath
            self.kubeconfigPath = kubeconfigPath
            self.port = port
            self.worldConfig = worldConfig
            self.clock = clock
            self.tickInterval = tickInterval
            self.shutdownSignals = shutdownSignals
            self.admission = admission
        }

        package var resolvedDatabasePath: String {
            databasePath ?? (stateDirectory as NSString).appendingPathComponent("world.sqlite")
        }
        package var resolvedKubeconfigPath: String {
            kubeconfigPath ?? (stateDirectory as NSString).appendingPathComponent("kubeconfig")
        }
    }

    package let cluster: LiveWorld
    /// One live xDS server per installed Istio revision, by service host.
    package let istiods: IstiodFleet
    /// One proxy per running injected pod, connected to its revision's istiod.
    package let sidecars: SidecarFleet
    /// What the pods' containers logged (`kubectl logs`), in memory.
    package let logs: PodLogRecorder
    /// The bound API port on 127.0.0.1.
    package let port: Int
    package let kubeconfigPath: String
    package let databasePath: String
    /// The bearer token every API request must carry; new at each start, written into the
    /// kubeconfig (mode 0600) and nowhere else.
    package let token: String
    /// Whether the world was restored from the database (false: a fresh default world).
    package let restored: Bool
    private let group: ServiceGroup
    private let running: Task<Void, any Error>
    private let lock: StateDirectoryLock

    package var serverURL: String { "http://127.0.0.1:\(port)" }

    private init(
        cluster: LiveWorld, istiods: IstiodFleet, sidecars: SidecarFleet, logs: PodLogRecorder, port: Int, kubeconfigPath: String, databasePath: String, token: String, restored: Bool, group: ServiceGroup,
        running: Task<Void, any Error>, lock: StateDirectoryLock
    ) {
        self.cluster = cluster
        self.istiods = istiods
        self.sidecars = sidecars
        self.logs = logs
        self.port = port
        self.kubeconfigPath = kubeconfigPath
        self.databasePath = databasePath
        self.token = token
        self.restored = restored
        self.group = group
        self.running = running
        self.lock = lock
    }

    /// Locks the state directory, restores (or creates) the world, starts the API server and
    /// the driver, writes the kubeconfig, and returns once the API is listening.
    package static func start(_ options: Options) async throws(EmulatorError) -> Emulator {
        let lock = try StateDirectoryLock(directory: options.stateDirectory, database: options.resolvedDatabasePath)
        do {
            return try await start(options, lock: lock)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Opens the database and restores its world, or stores a new default world, on a thread of
    /// its own: SQLite syncs each commit to disk, and a cooperative thread blocked in that stalls
    /// every task of the process (there are as many as cores).
    private static func openWorld(_ options: Options, now: Timestamp) async throws(EmulatorError)
        -> (SQLiteWorldStore, World, restored: Bool)
    {
        let dbPath = options.resolvedDatabasePath
        let opened: Result<(SQLiteWorldStore, World, Bool), EmulatorError> = await withCheckedContinuation { done in
            DispatchQueue.global().async {
                do {
                    let store = try SQLiteWorldStore(path: dbPath)
                    if let saved = try store.load() {
                        done.resume(returning: .success((store, saved, true)))
                        return
                    }
                    let world = options.initialWorld ?? World.defaultWorld(config: options.worldConfig, now: now, istio: options.istio)
                    try store.saveAll(world)
                    done.resume(returning: .success((store, world, false)))
                } catch {
                    done.resume(returning: .failure(EmulatorError("cannot open the world database \(dbPath): \(error)")))
                }
            }
        }
        return try opened.get()
    }

    private static func start(_ options: Options, lock: StateDirectoryLock) async throws(EmulatorError) -> Emulator {
        let clock = options.clock ?? SystemClock()
        let dbPath = options.resolvedDatabasePath
        let (store, world, restored) = try await openWorld(options, now: clock.now())
        let cluster = LiveWorld(
            world: world, clock: clock, persistence: store, admission: options.admission, resources: .istio)
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "xdsemu")
        logger.logLevel = .warning
        let istiods = IstiodFleet(cluster: cluster)
        let admin = AdminRoutes()
        let sidecars = SidecarFleet(
            cluster: cluster, istiods: istiods, admin: admin, configuration: options.sidecar, envoy: options.envoy)
        let token = Kubeconfig.newToken()
        let recorder = PodLogRecorder(cluster: cluster, istiods: istiods, sidecars: sidecars)
        let api = KubeAPIServer.make(
            cluster: cluster, port: options.port, logger: logger, heartbeat: options.watchHeartbeat, token: token,
            extraRoutes: endpoints(istiods: istiods, sidecars: sidecars), logs: recorder.logs
        ) { port in
            admin.serve(at: "http://127.0.0.1:\(port)")
            portSink.yield(port)
            portSink.finish()
        }
        let driver = WorldDriver(cluster: cluster, interval: options.tickInterval)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: api), .init(service: driver), .init(service: IstiodFleetService(fleet: istiods)),
                    .init(service: SidecarFleetService(fleet: sidecars)),
                    .init(service: PodLogRecorderService(recorder: recorder)),
                ],
                gracefulShutdownSignals: options.shutdownSignals, logger: logger))
        let running = Task {
            // If the server never comes up (port taken), end the wait below instead of hanging.
            defer { portSink.finish() }
            try await group.run()
        }
        var port: Int?
        for await p in ports {
            port = p
            break
        }
        guard let port else {
            let failure: String
            do {
                try await running.value
                failure = "the API server stopped before listening"
            } catch {
                failure = "cannot listen on 127.0.0.1:\(options.port): \(error)"
            }
            cluster.close()
            throw EmulatorError(failure)
        }
        let kubeconfig = options.resolvedKubeconfigPath
        do {
            try Kubeconfig.write(server: KubeAPIServer.kubeconfigServer(port: port, token: token), token: token, to: kubeconfig)
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        return Emulator(
            cluster: cluster, istiods: istiods, sidecars: sidecars, logs: recorder, port: port, kubeconfigPath: kubeconfig, databasePath: dbPath, token: token, restored: restored, group: group,
            running: running, lock: lock)
    }

    /// The emulator's own endpoints on its API server: istioctl's stand-ins for port-forwards and
    /// execs (`/xdsemu/v1/…`), istiod's monitoring port (`/metrics`), every simulated sidecar's
    /// admin (`/pods/NAMESPACE/POD/…`).
    static func endpoints(istiods: IstiodFleet, sidecars: SidecarFleet) -> [EmulatorEndpoint] {
        [
            .list { istiods.statuses() }, .list { sidecars.proxies() }, .list { istiods.syncz() },
            .metrics { istiods.metricsText() },
        ] + sidecars.admin.endpoints
    }

    /// What the emulator's endpoints serve (`/xdsemu/v1/proxies`, `/syncz`, `/istiods`), for a
    /// reader in the same process (a rehearsal): the same values, without the HTTP round trip.
    package func endpointLists() -> (proxies: [ProxyStatus], syncz: [Syncz], istiods: [IstiodStatus]) {
        (sidecars.proxies(), istiods.syncz(), istiods.statuses())
    }

    /// Waits until the emulator stops (a shutdown signal, or `stop()`), then releases the lock.
    package func waitUntilStopped() async throws(EmulatorError) {
        do {
            try await running.value
        } catch {
            lock.release()
            throw EmulatorError("the emulator stopped with an error: \(error)")
        }
        lock.release()
    }

    /// Stops gracefully: open watches end, the server drains, the lock is released. Every write
    /// acknowledged before is already in the database.
    package func stop() async {
        await group.triggerGracefulShutdown()
        try? await waitUntilStopped()
    }
}
