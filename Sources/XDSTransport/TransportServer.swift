internal import CGRPCShim
import Synchronization

/// A gRPC server on a loopback port that accepts bidi-streaming calls and hands them out as
/// ``ServerCall``s. It moves bytes; it knows nothing about xDS.
///
/// Threads: calls are accepted on their own completion queue and thread (`xds-accept`), because
/// pushing to streams on the queue that accepts new calls starved connection set-up; accepted calls
/// are served on a second queue and thread (`xds-calls`). Neither is a Swift cooperative thread.
///
/// Ownership: owns the `grpc_server` and both queues. The one release path is ``stop()``, which
/// must be called: until then the outstanding accept requests keep the server alive.
public final class TransportServer: Sendable {
    public struct Configuration: Sendable {
        /// The address to bind; loopback unless you mean otherwise.
        package var host: String
        /// 0 picks a free port; read the chosen one from ``TransportServer/port``.
        package var port: Int
        /// Method paths served (e.g. `/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources`);
        /// other methods are answered UNIMPLEMENTED without being handed out. `nil` serves any method.
        package var methods: Set<String>?
        /// Receive size, keepalive and idle limits.
        package var limits: Limits
        /// Accept requests kept outstanding, so bursts of new connections are not serialised.
        package var pendingAccepts: Int

        public init(host: String = "127.0.0.1", port: Int = 0, methods: Set<String>? = nil,
                    limits: Limits = Limits(), pendingAccepts: Int = 32) {
            self.host = host
            self.port = port
            self.methods = methods
            self.limits = limits
            self.pendingAccepts = pendingAccepts
        }
    }

    /// The bound port.
    public let port: Int
    package let configuration: Configuration

    /// Accepted calls for served methods, in accept order. Ends when the server stops.
    /// Unconsumed calls are buffered; a call dropped without ``ServerCall/finish(_:message:)`` is
    /// cancelled.
    package let calls: AsyncStream<ServerCall>
    private let callsContinuation: AsyncStream<ServerCall>.Continuation

    /// `grpc_server*`; destroyed once, in `stop()`, after shutdown completed.
    nonisolated(unsafe) private let server: OpaquePointer
    private let acceptQueue: CompletionQueue
    private let callQueue: CompletionQueue

    private enum Phase { case running, stopping, stopped }

    private struct State {
        var phase = Phase.running
        var open: [ObjectIdentifier: CallCore] = [:]
        var pendingAccepts = 0
        var shutdownWaiter: CheckedContinuation<Void, Never>?
        /// stop() waiting for every open call's END, so no batch can start after the call queue
        /// shuts down.
        var drainWaiter: CheckedContinuation<Void, Never>?
        var stopWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Binds `configuration.host:port` with insecure credentials and starts accepting.
    /// - Throws: ``TransportError/Code/bindFailed`` when the address cannot be bound.
    public init(configuration: Configuration = Configuration()) throws(TransportError) {
        GRPCRuntime.initialize()
        self.configuration = configuration
        (calls, callsContinuation) = AsyncStream.makeStream(of: ServerCall.self)
        server = CGRPCShim_server_create(configuration.limits.shim)
        let address = "\(configuration.host):\(configuration.port)"
        let bound = Int(CGRPCShim_server_add_insecure_port(server, address))
        guard bound != 0 else {
            CGRPCShim_server_destroy(server)
            callsContinuation.finish()
            // Queues are created only after a successful bind, so there is nothing else to undo.
            throw TransportError(.bindFailed, "cannot bind \(address)")
        }
        port = bound
        acceptQueue = CompletionQueue(name: "xds-accept")
        callQueue = CompletionQueue(name: "xds-calls")
        CGRPCShim_server_start(server, acceptQueue.handle, callQueue.handle)
        for _ in 0..<max(1, configuration.pendingAccepts) { requestCall() }
    }

    /// Serves every accepted call with `handler`, each in a child task of the returned task, which
    /// ends once the server has stopped and every handler has returned. Consumes ``calls``: use one
    /// or the other. Await the task after ``stop()`` to know no handler still runs.
    public func serveCalls(_ handler: @escaping @Sendable (ServerCall) async -> Void) -> Task<Void, Never> {
        let calls = self.calls
        return Task {
            await withDiscardingTaskGroup { group in
                for await call in calls {
                    group.addTask { await handler(call) }
                }
            }
        }
    }

    /// Calls accepted and not yet ended (ended = status sent and closed, or cancelled).
    package var openCallCount: Int { state.withLock { $0.open.count } }

    // MARK: Accepting (accept-queue thread)

    private func requestCall() {
        let core = CallCore(side: .server, server: self)
        let requested = state.withLock { state -> Bool in
            guard state.phase == .running else { return false }
            // Started under our lock so stop() cannot begin shutdown between the check and the
            // request (a server that keeps requesting calls after shutdown never finishes it).
            guard core.requestCall(server: server, callQueue: callQueue, notifyQueue: acceptQueue) else {
                return false
            }
            state.pendingAccepts += 1
            return true
        }
        _ = requested
    }

    /// An accept request completed: hand the call out, and ask for the next one.
    func accepted(_ core: CallCore, success: Bool) {
        let running = state.withLock { state -> Bool in
            state.pendingAccepts -= 1
            let running = state.phase == .running
            if success, running { state.open[ObjectIdentifier(core)] = core }
            return running
        }
        guard success else { return }
        guard running else {
            // Accepted while stopping: start nothing on it (its queue is about to shut down).
            core.discard()
            return
        }
        core.beginServing()
        let info = core.acceptedCallInfo()
        requestCall()
        if let methods = configuration.methods, !methods.contains(info.method) {
            core.finish(CallStatus(code: .unimplemented, message: "Method not found: \(info.method)"))
            return
        }
        callsContinuation.yield(ServerCall(core: core, method: info.method, side: ServerSide(peer: info.peer)))
    }

    /// A call's END batch completed (call-queue thread).
    func callEnded(_ core: CallCore) {
        let drained = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.open.removeValue(forKey: ObjectIdentifier(core))
            guard state.open.isEmpty else { return nil }
            defer { state.drainWaiter = nil }
            return state.drainWaiter
        }
        drained?.resume()
    }

    // MARK: Stopping

    /// Stops the server and returns once it is gone: no new calls, open calls cancelled (clients
    /// see UNAVAILABLE, server-side calls end CANCELLED), `grpc_server` destroyed, both queues drained and their threads joined. The
    /// port is free again afterwards. Safe to call more than once; later calls wait for the first.
    public func stop() async {
        let first = state.withLock { state -> Bool in
            guard state.phase == .running else { return false }
            state.phase = .stopping
            return true
        }
        guard first else {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let stopped = state.withLock { state -> Bool in
                    if state.phase != .stopped { state.stopWaiters.append(continuation) }
                    return state.phase == .stopped
                }
                if stopped { continuation.resume() }
            }
            return
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            state.withLock { $0.shutdownWaiter = continuation }
            CGRPCShim_server_shutdown(server, acceptQueue.handle, Unmanaged.passRetained(self).toOpaque())
            // Shutdown waits for every call to end: cancel the open streams so it can.
            CGRPCShim_server_cancel_all_calls(server)
        }
        // Every open call was cancelled; wait for each END so no batch starts after the call queue
        // shuts down, and grpc_server_destroy finds no live call.
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let drained = state.withLock { state -> Bool in
                if !state.open.isEmpty { state.drainWaiter = continuation }
                return state.open.isEmpty
            }
            if drained { continuation.resume() }
        }
        CGRPCShim_server_destroy(server)
        await acceptQueue.shutdown()
        await callQueue.shutdown()
        callsContinuation.finish()
        let waiters = state.withLock { state in
            state.phase = .stopped
            defer { state.stopWaiters = [] }
            return state.stopWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The shutdown tag completed (accept-queue thread).
    func shutdownNotified() {
        let waiter = state.withLock { state in
            defer { state.shutdownWaiter = nil }
            return state.shutdownWaiter
        }
        waiter?.resume()
    }
}
