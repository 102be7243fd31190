import AsyncCondition
import Foundation
import Synchronization
import XDSModel
import XDSTransport
import XDSWire

/// A simulated proxy: one real state-of-the-world ADS stream (CDS wildcard, then EDS for the EDS
/// clusters it got, then LDS wildcard and RDS for the routes its listeners name) from a pod to its revision's istiod, over its own gRPC connection, like an
/// Envoy sidecar. It ACKs what it accepts, NACKs what it cannot use (``ResourceValidation``) and
/// keeps the last good state; when the stream ends it keeps its config and reconnects with
/// ``Backoff``, then resyncs with the versions it holds.
///
/// The stream starts in `init`; ``stop()`` must be called (it closes the stream). Thread-safe;
/// no method blocks. All protocol decisions live in the pure `ADSExchange`; this type only moves
/// bytes and time.
package final class Sidecar: Sendable {
    package struct Configuration: Sendable {
        package var backoff: Backoff
        /// How long ``stop()`` waits for the server to end a half-closed stream before cancelling it.
        package var stopGrace: Duration

        package init(backoff: Backoff = .envoy, stopGrace: Duration = .milliseconds(500)) {
            self.backoff = backoff
            self.stopGrace = stopGrace
        }
    }

    package let bootstrap: SidecarBootstrap
    package let configuration: Configuration
    let channel: ClientChannel
    let state: Mutex<State>
    private let waiters = ConditionWaiters<SidecarSnapshot>()
    private let runner = Mutex<Task<Void, Never>?>(nil)

    /// Creates the proxy's channel to `bootstrap.discovery.target` and starts its stream.
    /// - Throws: ``TransportError`` when gRPC refuses the target.
    package init(bootstrap: SidecarBootstrap, configuration: Configuration = Configuration()) throws(TransportError) {
        self.bootstrap = bootstrap
        self.configuration = configuration
        // gRPC's own reconnect backoff is capped by ours, so a returning istiod is found as soon
        // as this proxy's next attempt is due.
        self.channel = try ClientChannel(
            target: bootstrap.discovery.target,
            options: .init(ownConnection: true, maxReconnectBackoff: configuration.backoff.cap))
        self.state = Mutex(State(exchange: ADSExchange(node: bootstrap.node), startedAt: Date()))
        let task = Task { [self] in await run() }
        runner.withLock { $0 = task }
    }

    /// Closes the stream (half-close, so istiod sees a clean end; cancelled after
    /// `stopGrace`) and stops reconnecting. Idempotent.
    package func stop() async {
        let call = state.withLock { s -> ClientCall? in
            s.stopped = true
            return s.call
        }
        if let call {
            call.closeSend()
            await Self.waitForEnd(of: call, atMost: configuration.stopGrace)
            call.cancel()
        }
        let task = runner.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    /// A consistent copy of the current state.
    package func snapshot() -> SidecarSnapshot { state.withLock { $0.snapshot(bootstrap) } }

    /// Waits until `condition` holds for the state (checked now and after every change), or until
    /// `timeout` passes. Returns whether it held. The condition runs under the sidecar's lock: it
    /// must be a quick, pure function of the snapshot.
    @discardableResult
    package func waitUntil(timeout: Duration = .seconds(10),
                          _ condition: @escaping @Sendable (SidecarSnapshot) -> Bool) async -> Bool {
        await waiters.wait(timeout: timeout, current: { [self] in snapshot() }, until: condition)
    }

    // MARK: The stream loop

    private func run() async {
        var attempt = 0
        var random = SystemRandomNumberGenerator()
        while !Task.isCancelled {
            update { $0.connection = .connecting(attempt: attempt) }
            let (status, sawResponse) = await runOneStream()
            if state.withLock({ $0.stopped }) { break }
            // Envoy resets its backoff once a stream was established.
            if sawResponse { attempt = 0 }
            let delay = configuration.backoff.delay(attempt: attempt, using: &random)
            attempt += 1
            update { $0.connection = .disconnected(status: status, retryIn: delay) }
            try? await Task.sleep(for: delay)
        }
        update { $0.connection = .stopped }
    }

    /// Opens one stream, runs it to its end, and returns how it ended and whether any response came.
    private func runOneStream() async -> (CallStatus, Bool) {
        let call: ClientCall
        do {
            call = try channel.makeCall(method: AggregatedDiscoveryService.streamAggregatedResourcesPath)
        } catch {
            return (CallStatus(code: .unavailable, message: error.message), false)
        }
        let first = state.withLock { s -> [DiscoveryRequest]? in
            guard !s.stopped else { return nil }
            s.call = call
            s.streamsOpened += 1
            return s.exchange.streamStarted()
        }
        guard let first else {
            call.cancel()
            return (CallStatus(code: .cancelled, message: "stopped"), false)
        }
        for (index, request) in first.enumerated() {
            send(request, on: call, marksConnected: index == 0)
        }
        var sawResponse = false
        for await bytes in call.messages {
            guard let response = try? DiscoveryResponse(wireBytes: bytes) else {
                // Envoy closes a stream it cannot parse; the reconnect starts clean.
                call.cancel()
                break
            }
            sawResponse = true
            let now = Date()
            let replies = update { s in
                s.controlPlaneIdentifier = response.controlPlaneIdentifier
                return s.exchange.receive(response, at: now)
            }
            for reply in replies { send(reply, on: call, marksConnected: false) }
        }
        // Cancellation (stop) can end the loop before the call did.
        if Task.isCancelled { call.cancel() }
        let status = await call.status
        state.withLock { if $0.call === call { $0.call = nil } }
        return (status, sawResponse)
    }

    /// Queues one request; sends are ordered because only the stream loop sends.
    private func send(_ request: DiscoveryRequest, on call: ClientCall, marksConnected: Bool) {
        guard marksConnected else {
            call.send(request.wireBytes())
            return
        }
        call.send(request.wireBytes()) { [self] ok in
            if ok { markConnected(call) }
        }
    }

    /// The first write of a stream went out: the stream is up. Only the current stream counts, so
    /// a late callback cannot resurrect a stream that already ended.
    private func markConnected(_ call: ClientCall) {
        let now = Date()
        update { s in
            if s.call === call, !s.stopped { s.connection = .connected(since: now) }
        }
    }

    /// Mutates the state under the lock, then wakes the waiters whose condition now holds.
    @discardableResult
    func update<R>(_ body: (inout State) -> R) -> R {
        // Asked after the change, under the lock: a waiter registered later reads the new state.
        let (result, snapshot) = state.withLock { s in
            let result = body(&s)
            return (result, waiters.isEmpty ? nil : s.snapshot(bootstrap))
        }
        if let snapshot { waiters.changed(snapshot) }
        return result
    }

    private static func waitForEnd(of call: ClientCall, atMost grace: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = await call.status }
            group.addTask { try? await Task.sleep(for: grace) }
            await group.next()
            group.cancelAll()
        }
    }
}

extension Sidecar {
    struct State: Sendable {
        var exchange: ADSExchange
        var startedAt: Date
        var connection = ConnectionState.connecting(attempt: 0)
        var controlPlaneIdentifier = ""
        var streamsOpened = 0
        var call: ClientCall?
        var stopped = false

        init(exchange: ADSExchange, startedAt: Date) {
            self.exchange = exchange
            self.startedAt = startedAt
        }

        func snapshot(_ bootstrap: SidecarBootstrap) -> SidecarSnapshot {
            SidecarSnapshot(
                bootstrap: bootstrap, connection: connection, config: exchange.config,
                clusters: exchange.cds, endpoints: exchange.eds, listeners: exchange.lds, routes: exchange.rds,
                controlPlaneIdentifier: controlPlaneIdentifier, streamsOpened: streamsOpened,
                startedAt: startedAt)
        }
    }
}
