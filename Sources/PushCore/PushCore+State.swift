import XDSModel

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

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

extension TypeURL {
    /// State of the world sends clusters and listeners as the whole set every time: a resource
    /// missing from a CDS or LDS response is removed by Envoy. Other types may go by name.
    var isSentWhole: Bool { self == .cluster || self == .listener }
}
