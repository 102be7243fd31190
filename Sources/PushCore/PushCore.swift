import Synchronization
import XDSModel

/// The push core of one revision: its snapshot of resources by type and name, every stream's
/// subscriptions and acknowledgements, and the queue that fans changes out to them.
///
/// - Each changed resource is encoded once per version; each distinct response is encoded once
///   and its payload shared by every stream it goes to.
/// - A stream holds at most one pending push per type; new changes merge into it, also while a
///   send to that stream is in flight. At most `maxSendsInFlight` sends are outstanding at once;
///   a send outstanding past `StallPolicy.releaseSlotAfter` stops counting (see `checkStalls`),
///   so streams that do not read never hold the slots the others need.
/// - A type it neither serves nor knows is answered empty and leaves no state behind (see
///   `receive`).
/// - Endpoint changes go only to the streams that watch the changed assignments, and carry only
///   those; delta streams receive only what differs from what they hold.
///
/// Thread-safe; never blocks on I/O. Every method returns the sends the caller must start, and the
/// caller reports each finished send with `sendCompleted`. Time is passed in (`now`, a duration
/// since any fixed origin) so debounce and convergence are testable on a manual clock.
public final class PushCore<Payload: Sendable>: Sendable {
    private let codec: PushCodec<Payload>
    private let state: Mutex<State>

    /// - Parameters:
    ///   - controlPlaneIdentifier: sent as `control_plane.identifier` (istiod sends its pod name).
    ///   - noncePrefix: keeps nonces of different server instances apart.
    public init(
        codec: PushCodec<Payload>, debounce: DebounceConfig = .off, maxSendsInFlight: Int = 1024,
        stalls: StallPolicy = StallPolicy(), controlPlaneIdentifier: String = "", noncePrefix: String = ""
    ) {
        precondition(maxSendsInFlight > 0, "maxSendsInFlight must be positive")
        self.codec = codec
        self.state = Mutex(
            State(
                debounce: debounce, maxSendsInFlight: maxSendsInFlight, stalls: stalls,
                controlPlaneIdentifier: controlPlaneIdentifier, noncePrefix: noncePrefix))
    }

    // MARK: Streams

    public func open(_ stream: StreamID, kind: StreamKind) {
        state.withLock { s in
            if let old = s.streams.updateValue(StreamRecord(kind: kind), forKey: stream) { s.unsubscribe(stream, old) }
            if kind == .delta { s.deltaStreams.insert(stream) }
            s.metrics.connectedStreams = s.streams.count
        }
    }

    /// Forgets a stream. If a send to it was in flight, its slot goes to the next stream waiting.
    package func close(_ stream: StreamID) -> [Dispatch<Payload>] {
        state.withLock { s in
            guard let record = s.streams.removeValue(forKey: stream) else { return [] }
            s.unsubscribe(stream, record)
            s.metrics.connectedStreams = s.streams.count
            s.endSend(record)
            return s.drain(codec)
        }
    }

    /// Handles one state-of-the-world request.
    public func receive(_ request: DiscoveryRequest, on stream: StreamID, now: Duration) -> Reception<Payload> {
        let type = request.typeURL.shared
        return receive(on: stream, type: type, node: request.node, nonce: request.responseNonce, now: now) { nonce, identifier in
            codec.encodeResponse(
                DiscoveryResponse(versionInfo: .none, resources: [], typeURL: type, nonce: nonce, controlPlaneIdentifier: identifier))
        } decide: { s, record in
            let previous = record.watches[type]
            s.assignView(record, type: type)
            var (decision, watch) = ResponsePolicy.decide(request, watch: previous)
            s.subscribe(stream, type: type, watch: &watch, previous: previous)
            record.watches[type] = watch
            return decision
        }
    }

    /// Handles one delta request.
    package func receive(_ request: DeltaDiscoveryRequest, on stream: StreamID, now: Duration) -> Reception<Payload> {
        let type = request.typeURL.shared
        return receive(on: stream, type: type, node: request.node, nonce: request.responseNonce, now: now) { nonce, _ in
            codec.encodeDeltaResponse(
                DeltaDiscoveryResponse(systemVersionInfo: "", resources: [], typeURL: type, removedResources: [], nonce: nonce))
        } decide: { s, record in
            s.assignView(record, type: type)
            let (decision, watch) = ResponsePolicy.decide(request, watch: record.watches[type])
            record.watches[type] = watch
            return decision
        }
    }

    /// What both kinds of request share: a type the core does not serve gets `emptyAnswer`
    /// (nonce, control-plane identifier) and leaves nothing behind; a served one is decided by
    /// `decide` under the lock, then applied and drained.
    private func receive(
        on stream: StreamID, type: TypeURL, node: Node?, nonce: Nonce, now: Duration,
        emptyAnswer: (Nonce, String) -> Payload, decide: (inout State, StreamRecord) -> RequestDecision
    ) -> Reception<Payload> {
        state.withLock { s in
            switch s.start(stream, type: type, node: node, nonce: nonce) {
            case .ignored:
                return .ignored
            case .unknownType(let nonce):
                return Reception(decision: .respond, dispatches: [], reply: emptyAnswer(nonce, s.controlPlaneIdentifier))
            case .served(let record):
                let decision = decide(&s, record)
                s.apply(decision, type: type, on: stream, now: now)
                return Reception(decision: decision, dispatches: s.drain(codec))
            }
        }
    }

    /// A send started from a `Dispatch` has finished (`ok: false` if the transport failed it).
    public func sendCompleted(_ stream: StreamID, ok: Bool = true) -> [Dispatch<Payload>] {
        state.withLock { s in
            // A send to a stream that already closed failing is the close, not a push error.
            guard let record = s.streams[stream], record.inFlight else { return s.drain(codec) }
            if !ok { s.metrics.pushErrors += 1 }
            s.endSend(record)
            s.enqueueIfPending(stream)
            return s.drain(codec)
        }
    }

    /// Looks for sends outstanding past the stall policy's limits: their slots go to the streams
    /// waiting (the returned dispatches), and the streams stalled past `endStreamAfter` are
    /// returned once each for the caller to end. Call it every `StallPolicy.checkInterval`.
    package func checkStalls(now: Duration) -> (dispatches: [Dispatch<Payload>], expired: [StreamID]) {
        state.withLock { s in
            let expired = s.checkStalls(now: now)
            return (s.drain(codec), expired)
        }
    }

    // MARK: Configuration

    /// Replaces every resource of `type` with `resources`. With debounce off the change is
    /// published now; otherwise it waits for `releaseDue`.
    public func update(_ type: TypeURL, _ resources: [XDSResource], now: Duration) -> [Dispatch<Payload>] {
        stage(now: now) { $0.staged[type] = resources }
    }

    /// Replaces every resource of `type` with one set per view (see `ResourceViews`); published
    /// like `update(_:_:now:)`.
    public func update(_ type: TypeURL, views: ResourceViews, now: Duration) -> [Dispatch<Payload>] {
        stage(now: now) { $0.stagedViews[type] = views }
    }

    /// Stages a change (`body`) for the debounce, or publishes it now with debounce off.
    private func stage(now: Duration, _ body: (inout State) -> Void) -> [Dispatch<Payload>] {
        state.withLock { s in
            body(&s)
            if s.firstStaged == nil { s.firstStaged = now }
            s.lastStaged = now
            guard s.debounce.isOff else { return [] }
            return s.publishStaged(now: now, codec)
        }
    }

    /// The snapshot of `type` that streams in `view` read.
    package func snapshot(of type: TypeURL, view: String) -> TypeSnapshot {
        state.withLock { $0.snapshot(type, view: view) }
    }

    /// When `releaseDue` next has something to publish, if anything is waiting.
    package var nextReleaseDeadline: Duration? {
        state.withLock { s in
            guard let first = s.firstStaged, let last = s.lastStaged else { return nil }
            return min(last + s.debounce.quiet, first + s.debounce.maxDelay)
        }
    }

    /// Publishes the debounced changes if their quiet period or maximum delay has passed.
    package func releaseDue(now: Duration) -> [Dispatch<Payload>] {
        state.withLock { s in
            guard let first = s.firstStaged, let last = s.lastStaged else { return [] }
            guard now >= last + s.debounce.quiet || now >= first + s.debounce.maxDelay else { return [] }
            return s.publishStaged(now: now, codec)
        }
    }

    // MARK: Reading

    package func snapshot(of type: TypeURL) -> TypeSnapshot {
        state.withLock { $0.readableSnapshot(type) }
    }

    package func metrics() -> PushMetrics { state.withLock { $0.metrics } }

    package func connections() -> [ConnectionStatus] {
        state.withLock { s in
            s.streams.sorted { $0.key < $1.key }.map {
                ConnectionStatus(stream: $0.key, kind: $0.value.kind, node: $0.value.node, watches: $0.value.watches)
            }
        }
    }
}
