import Synchronization
import XDSModel

/// The push core of one revision: its snapshot of resources by type and name, every stream's
/// subscriptions and acknowledgements, and the queue that fans changes out to them.
///
/// - Each changed resource is encoded once per version; each distinct response is encoded once
///   and its payload shared by every stream it goes to.
/// - A stream holds at most one pending push per type; new changes merge into it, also while a
///   send to that stream is in flight. At most `maxSendsInFlight` sends are outstanding at once,
///   and a stream that does not read holds only its own slot.
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
        controlPlaneIdentifier: String = "", noncePrefix: String = ""
    ) {
        precondition(maxSendsInFlight > 0, "maxSendsInFlight must be positive")
        self.codec = codec
        self.state = Mutex(
            State(
                debounce: debounce, maxSendsInFlight: maxSendsInFlight,
                controlPlaneIdentifier: controlPlaneIdentifier, noncePrefix: noncePrefix))
    }

    // MARK: Streams

    public func open(_ stream: StreamID, kind: StreamKind) {
        state.withLock { s in
            s.streams[stream] = StreamRecord(kind: kind)
            s.metrics.connectedStreams = s.streams.count
        }
    }

    /// Forgets a stream. If a send to it was in flight, its slot goes to the next stream waiting.
    public func close(_ stream: StreamID) -> [Dispatch<Payload>] {
        state.withLock { s in
            guard let record = s.streams.removeValue(forKey: stream) else { return [] }
            s.metrics.connectedStreams = s.streams.count
            if record.inFlight { s.inFlight -= 1 }
            return s.drain(codec)
        }
    }

    /// Handles one state-of-the-world request.
    public func receive(_ request: DiscoveryRequest, on stream: StreamID, now: Duration) -> Reception<Payload> {
        state.withLock { s in
            guard var record = s.streams[stream] else { return Reception(decision: .none, dispatches: []) }
            if record.node == nil { record.node = request.node }
            let previous = record.watches[request.typeURL]
            var (decision, watch) = ResponsePolicy.decide(request, watch: previous)
            // An ACK leaves `names` as the same storage, so this compare is O(1) on the hot path;
            // only a changed subscription pays for interning it.
            if previous?.names != watch.names || record.subscriptions[request.typeURL] == nil {
                record.subscriptions[request.typeURL] = s.intern(&watch.names)
            }
            record.watches[request.typeURL] = watch
            s.streams[stream] = record
            s.apply(decision, type: request.typeURL, on: stream, now: now)
            return Reception(decision: decision, dispatches: s.drain(codec))
        }
    }

    /// Handles one delta request.
    public func receive(_ request: DeltaDiscoveryRequest, on stream: StreamID, now: Duration) -> Reception<Payload> {
        state.withLock { s in
            guard var record = s.streams[stream] else { return Reception(decision: .none, dispatches: []) }
            if record.node == nil { record.node = request.node }
            let (decision, watch) = ResponsePolicy.decide(request, watch: record.watches[request.typeURL])
            record.watches[request.typeURL] = watch
            s.streams[stream] = record
            s.apply(decision, type: request.typeURL, on: stream, now: now)
            return Reception(decision: decision, dispatches: s.drain(codec))
        }
    }

    /// A send started from a `Dispatch` has finished (`ok: false` if the transport failed it).
    public func sendCompleted(_ stream: StreamID, ok: Bool = true) -> [Dispatch<Payload>] {
        state.withLock { s in
            // A send to a stream that already closed failing is the close, not a push error.
            guard var record = s.streams[stream], record.inFlight else { return s.drain(codec) }
            if !ok { s.metrics.pushErrors += 1 }
            record.inFlight = false
            s.inFlight -= 1
            s.streams[stream] = record
            s.enqueueIfPending(stream)
            return s.drain(codec)
        }
    }

    // MARK: Configuration

    /// Replaces every resource of `type` with `resources`. With debounce off the change is
    /// published now; otherwise it waits for `releaseDue`.
    public func update(_ type: TypeURL, _ resources: [XDSResource], now: Duration) -> [Dispatch<Payload>] {
        state.withLock { s in
            s.staged[type] = resources
            if s.firstStaged == nil { s.firstStaged = now }
            s.lastStaged = now
            guard s.debounce.isOff else { return [] }
            return s.publishStaged(now: now, codec)
        }
    }

    /// When `releaseDue` next has something to publish, if anything is waiting.
    public var nextReleaseDeadline: Duration? {
        state.withLock { s in
            guard let first = s.firstStaged, let last = s.lastStaged else { return nil }
            return min(last + s.debounce.quiet, first + s.debounce.maxDelay)
        }
    }

    /// Publishes the debounced changes if their quiet period or maximum delay has passed.
    public func releaseDue(now: Duration) -> [Dispatch<Payload>] {
        state.withLock { s in
            guard let first = s.firstStaged, let last = s.lastStaged else { return [] }
            guard now >= last + s.debounce.quiet || now >= first + s.debounce.maxDelay else { return [] }
            return s.publishStaged(now: now, codec)
        }
    }

    // MARK: Reading

    public func snapshot(of type: TypeURL) -> TypeSnapshot {
        state.withLock { $0.snapshots[type] ?? TypeSnapshot() }
    }

    public func metrics() -> PushMetrics { state.withLock { $0.metrics } }

    public func connections() -> [ConnectionStatus] {
        state.withLock { s in
            s.streams.sorted { $0.key < $1.key }.map {
                ConnectionStatus(stream: $0.key, kind: $0.value.kind, node: $0.value.node, watches: $0.value.watches)
            }
        }
    }
}

// MARK: - The state machine under the lock

extension PushCore {
    struct State: Sendable {
        let debounce: DebounceConfig
        let maxSendsInFlight: Int
        let controlPlaneIdentifier: String
        let noncePrefix: String

        var snapshots: [TypeURL: TypeSnapshot] = [:]
        var streams: [StreamID: StreamRecord] = [:]
        var ready = FIFO<StreamID>()
        var inFlight = 0
        var staged: [TypeURL: [XDSResource]] = [:]
        var firstStaged: Duration?
        var lastStaged: Duration?
        var publishCount = 0
        var nonceCount = 0
        /// Encoded responses of the current snapshot, by type then content: streams whose
        /// responses are equal share the bytes and the nonce.
        var envelopes: [TypeURL: [EnvelopeKey: (nonce: Nonce, payload: Payload)]] = [:]
        /// State of the world: the whole-set response of the current snapshot per subscription
        /// (wildcard, or an interned name set). With 1,000 names, filtering, sorting and hashing
        /// them into an `EnvelopeKey` for every stream dominated a full push; streams with equal
        /// subscriptions now share one plan. Cleared with `envelopes` when the snapshot changes.
        var plans: [TypeURL: [SubscriptionKey: (nonce: Nonce, payload: Payload)]] = [:]
        /// Interned subscription name sets: streams subscribed to equal sets share one `Set`'s
        /// storage (memory per stream) and one ID (the plan key, hashed in O(1)).
        var subscriptionIDs: [Set<String>: Int] = [:]
        var nextSubscriptionID = 0
        var metrics = PushMetrics()

        init(debounce: DebounceConfig, maxSendsInFlight: Int, controlPlaneIdentifier: String, noncePrefix: String) {
            self.debounce = debounce
            self.maxSendsInFlight = maxSendsInFlight
            self.controlPlaneIdentifier = controlPlaneIdentifier
            self.noncePrefix = noncePrefix
        }

        /// Replaces `names` by the equal set already held by another stream, if any, and returns
        /// the set's ID. IDs are never reused, so a plan cached under an ID always means that set.
        mutating func intern(_ names: inout Set<String>) -> Int {
            if let index = subscriptionIDs.index(forKey: names) {
                names = subscriptionIDs.keys[index]
                return subscriptionIDs.values[index]
            }
            if subscriptionIDs.count >= 2 * streams.count + 64 { pruneSubscriptions() }
            nextSubscriptionID += 1
            subscriptionIDs[names] = nextSubscriptionID
            return nextSubscriptionID
        }

        /// Forgets interned sets no stream uses any more (amortised: runs when the table has
        /// grown to twice the number of streams).
        mutating func pruneSubscriptions() {
            var live: Set<Int> = []
            for record in streams.values { live.formUnion(record.subscriptions.values) }
            subscriptionIDs = subscriptionIDs.filter { live.contains($0.value) }
        }

        mutating func apply(_ decision: RequestDecision, type: TypeURL, on stream: StreamID, now: Duration) {
            switch decision {
            case .respond:
                schedule(.full(since: now), type: type, on: stream)
            case .respondNames(let names):
                schedule(.names(names, since: now), type: type, on: stream)
            case .ack:
                if var record = streams[stream], let since = record.sentSince.removeValue(forKey: type),
                   record.watches[type]?.isInSync == true {
                    metrics.convergence.observe(seconds(now - since))
                    streams[stream] = record
                }
            case .nack:
                metrics.nacks[type.shortName, default: 0] += 1
            case .staleNonce, .none:
                break
            }
        }

        mutating func schedule(_ push: PendingPush, type: TypeURL, on stream: StreamID) {
            guard var record = streams[stream] else { return }
            if var existing = record.pending[type] {
                existing.merge(push)
                record.pending[type] = existing
            } else {
                record.pending[type] = push
            }
            streams[stream] = record
            enqueueIfPending(stream)
        }

        mutating func enqueueIfPending(_ stream: StreamID) {
            guard var record = streams[stream], !record.inFlight, !record.queued, !record.pending.isEmpty else { return }
            record.queued = true
            streams[stream] = record
            ready.push(stream)
        }

        mutating func publishStaged(now: Duration, _ codec: PushCodec<Payload>) -> [Dispatch<Payload>] {
            let staged = self.staged
            self.staged = [:]
            firstStaged = nil
            lastStaged = nil
            for (type, resources) in staged.sorted(by: { $0.key < $1.key }) {
                publishCount += 1
                var snapshot = snapshots[type] ?? TypeSnapshot()
                let (change, encodings) = snapshot.replace(
                    with: resources, typeURL: type, version: ResourceVersion(String(publishCount)),
                    encode: codec.encodeResource)
                metrics.encodings += encodings
                snapshots[type] = snapshot
                guard !change.isEmpty else { continue }
                envelopes[type] = nil
                plans[type] = nil
                scheduleChange(change, type: type, now: now)
            }
            return drain(codec)
        }

        /// Marks every stream the change concerns. Clusters and listeners go whole (state of the
        /// world requires it); other types carry only the changed names a stream watches.
        mutating func scheduleChange(_ change: TypeSnapshot.Change, type: TypeURL, now: Duration) {
            let whole = type.isSentWhole
            let changed = change.all
            for (id, record) in streams {
                // A changed cluster is re-warmed by Envoy, which then waits for its endpoints:
                // like istiod's full push, follow CDS with the endpoints the stream watches.
                if type == .cluster, record.kind == .stateOfTheWorld, record.watches[.endpoint] != nil {
                    schedule(.full(since: now), type: .endpoint, on: id)
                }
                guard let watch = record.watches[type] else { continue }
                if record.kind == .stateOfTheWorld && whole {
                    schedule(.full(since: now), type: type, on: id)
                    continue
                }
                let names = watch.wildcard ? changed : changed.intersection(watch.names)
                if !names.isEmpty { schedule(.names(names, since: now), type: type, on: id) }
            }
        }

        /// Starts sends for ready streams while slots are free.
        mutating func drain(_ codec: PushCodec<Payload>) -> [Dispatch<Payload>] {
            var out: [Dispatch<Payload>] = []
            while inFlight < maxSendsInFlight, let id = ready.pop() {
                guard var record = streams[id] else { continue }
                record.queued = false
                while !record.inFlight, let type = record.nextPendingType() {
                    let push = record.pending.removeValue(forKey: type)!
                    if let dispatch = makeDispatch(push, type: type, stream: id, record: &record, codec) {
                        record.inFlight = true
                        inFlight += 1
                        metrics.pushes[type.shortName, default: 0] += 1
                        out.append(dispatch)
                    }
                }
                streams[id] = record
            }
            return out
        }

        /// Builds (or reuses) the response for one pending push, and records it as sent.
        /// Returns nil when an incremental push turns out to carry nothing for this stream.
        mutating func makeDispatch(
            _ push: PendingPush, type: TypeURL, stream: StreamID, record: inout StreamRecord,
            _ codec: PushCodec<Payload>
        ) -> Dispatch<Payload>? {
            guard var watch = record.watches[type] else { return nil }
            let snapshot = snapshots[type] ?? TypeSnapshot()
            let key: EnvelopeKey
            var sentVersions: [(String, ResourceVersion?)] = []
            // State of the world, whole set: it depends only on the snapshot and the subscription,
            // so any stream with the same subscription shares the plan (see `plans`).
            let whole = push.full || type.isSentWhole
            let planKey: SubscriptionKey? =
                record.kind != .stateOfTheWorld || !whole ? nil
                : watch.wildcard ? .wildcard
                : record.subscriptions[type].map(SubscriptionKey.names)
            switch record.kind {
            case .stateOfTheWorld:
                if let planKey, let (nonce, payload) = plans[type]?[planKey] {
                    watch.sentNonce = nonce
                    watch.sentVersion = snapshot.version
                    record.watches[type] = watch
                    record.sentSince[type] = push.since
                    return Dispatch(stream: stream, typeURL: type, nonce: nonce, payload: payload)
                }
                let candidates = whole ? (watch.wildcard ? Set(snapshot.entries.keys) : watch.names) : push.names
                let names = candidates.filter { snapshot.entries[$0] != nil && watch.isSubscribed(to: $0) }.sorted()
                if !whole && names.isEmpty { return nil }
                key = EnvelopeKey(kind: .stateOfTheWorld, version: snapshot.version, names: names, versions: [], removed: [])
            case .delta:
                var scope = push.full ? (watch.wildcard ? Set(snapshot.entries.keys) : watch.names) : push.names
                if push.full && watch.wildcard { scope.formUnion(watch.known.keys) }
                var names: [String] = []
                var versions: [ResourceVersion] = []
                var removed: [String] = []
                for name in scope.sorted() where watch.isSubscribed(to: name) || watch.known[name] != nil {
                    if let entry = snapshot.entries[name] {
                        if watch.known[name] != entry.encoded.version {
                            names.append(name)
                            versions.append(entry.encoded.version)
                            sentVersions.append((name, entry.encoded.version))
                        }
                    } else if watch.known[name] != nil {
                        removed.append(name)
                        sentVersions.append((name, nil))
                    }
                }
                // The first response of a subscription goes out even when empty: the client
                // waits for it to finish its initial fetch.
                let first = watch.sentNonce == nil
                if names.isEmpty && removed.isEmpty && !first { return nil }
                key = EnvelopeKey(
                    kind: .delta, version: snapshot.version, names: names, versions: versions, removed: removed)
            }

            let (nonce, payload) = envelope(for: key, type: type, snapshot: snapshot, codec)
            if let planKey { plans[type, default: [:]][planKey] = (nonce, payload) }
            watch.sentNonce = nonce
            watch.sentVersion = snapshot.version
            for (name, version) in sentVersions { watch.known[name] = version }
            record.watches[type] = watch
            record.sentSince[type] = push.since
            return Dispatch(stream: stream, typeURL: type, nonce: nonce, payload: payload)
        }

        mutating func envelope(
            for key: EnvelopeKey, type: TypeURL, snapshot: TypeSnapshot, _ codec: PushCodec<Payload>
        ) -> (Nonce, Payload) {
            if let cached = envelopes[type]?[key] { return cached }
            nonceCount += 1
            let nonce = Nonce(noncePrefix + String(nonceCount))
            let payload: Payload
            switch key.kind {
            case .stateOfTheWorld:
                let resources = key.names.map {
                    let encoded = snapshot.entries[$0]!.encoded
                    return AnyMessage(typeURL: type.rawValue, value: encoded.bytes)
                }
                payload = codec.encodeResponse(
                    DiscoveryResponse(
                        versionInfo: snapshot.version, resources: resources, typeURL: type, nonce: nonce,
                        controlPlaneIdentifier: controlPlaneIdentifier))
            case .delta:
                let resources = key.names.map { name -> DeltaResource in
                    let encoded = snapshot.entries[name]!.encoded
                    return DeltaResource(
                        name: name, version: encoded.version,
                        resource: AnyMessage(typeURL: type.rawValue, value: encoded.bytes))
                }
                payload = codec.encodeDeltaResponse(
                    DeltaDiscoveryResponse(
                        systemVersionInfo: snapshot.version.rawValue, resources: resources, typeURL: type,
                        removedResources: key.removed, nonce: nonce))
            }
            metrics.envelopeEncodings += 1
            envelopes[type, default: [:]][key] = (nonce, payload)
            return (nonce, payload)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// A state-of-the-world subscription: every resource, or an interned name set by its ID.
    enum SubscriptionKey: Hashable, Sendable {
        case wildcard
        case names(Int)
    }

    /// Identifies a response by content within one snapshot version of a type.
    struct EnvelopeKey: Hashable, Sendable {
        let kind: StreamKind
        let version: ResourceVersion
        let names: [String]
        /// Delta: the version of each name sent, since what a stream lacks depends on what it holds.
        let versions: [ResourceVersion]
        let removed: [String]
    }
}

extension TypeURL {
    /// State of the world sends clusters and listeners as the whole set every time: a resource
    /// missing from a CDS or LDS response is removed by Envoy. Other types may go by name.
    var isSentWhole: Bool { self == .cluster || self == .listener }
}
