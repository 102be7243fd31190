import XDSModel

// MARK: - The state machine under the lock

extension PushCore {
    struct State: Sendable {
        let debounce: DebounceConfig
        let maxSendsInFlight: Int
        let stalls: StallPolicy
        let controlPlaneIdentifier: String
        let noncePrefix: String

        var snapshots: [TypeURL: TypeSnapshot] = [:]
        /// Types whose resources differ by proxy (`ResourceViews`): each view's snapshot, and
        /// the function that maps a node to its view.
        var viewSnapshots: [TypeURL: [String: TypeSnapshot]] = [:]
        var viewFunctions: [TypeURL: @Sendable (Node?) -> String] = [:]
        var stagedViews: [TypeURL: ResourceViews] = [:]
        /// The version of the last change to any view of a type (what readers see as its version).
        var lastViewVersion: [TypeURL: ResourceVersion] = [:]
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
        /// State of the world: the response of the current snapshot per plan (a subscription's
        /// whole set, or what one change carries for it), nil if it carries nothing. With 1,000
        /// names, filtering, sorting and hashing them into an `EnvelopeKey` for every stream
        /// dominated a full push; streams with equal subscriptions now share one plan. Cleared
        /// with `envelopes` when the snapshot changes.
        var plans: [TypeURL: [PlanKey: (nonce: Nonce, payload: Payload)?]] = [:]
        /// State-of-the-world streams by subscription, and subscriptions by name.
        var subscriptions = Subscriptions()
        /// Delta streams hold per-stream subscriptions; a change visits each of them.
        var deltaStreams: Set<StreamID> = []
        var metrics = PushMetrics()


        /// Files a state-of-the-world watch under its subscription (wildcard, or its interned name
        /// set), moving the stream if the subscription changed. An ACK leaves `names` as the same
        /// storage, so the compare is O(1) on the hot path; only a changed set pays for interning.
        mutating func subscribe(_ stream: StreamID, type: TypeURL, watch: inout Watch, previous: Watch?) {
            guard let record = streams[stream] else { return }
            let old = record.subscribed[type]
            let key: SubscriptionKey
            if watch.wildcard {
                key = .wildcard
            } else if case .names(let id)? = old, previous?.names == watch.names {
                key = .names(id)
                watch.names = subscriptions.names(of: id)
            } else {
                key = .names(subscriptions.intern(&watch.names))
            }
            guard key != old else { return }
            if let old { subscriptions.leave(stream, old, type: type) }
            subscriptions.join(stream, key, type: type)
            record.subscribed[type] = key
        }

        /// Forgets a stream's subscriptions.
        mutating func unsubscribe(_ stream: StreamID, _ record: StreamRecord) {
            deltaStreams.remove(stream)
            for (type, key) in record.subscribed { subscriptions.leave(stream, key, type: type) }
        }

        mutating func apply(_ decision: RequestDecision, type: TypeURL, on stream: StreamID, now: Duration) {
            switch decision {
            case .respond:
                schedule(.full(since: now), type: type, on: stream)
            case .respondNames(let names):
                schedule(.names(names, since: now), type: type, on: stream)
            case .ack:
                if let record = streams[stream], record.watches[type]?.isInSync == true,
                   let since = record.sentSince.removeValue(forKey: type) {
                    metrics.convergence.observe(seconds(now - since))
                }
            case .nack:
                metrics.nacks[type.shortName, default: 0] += 1
            case .staleNonce, .none:
                break
            }
        }

        mutating func schedule(_ push: PendingPush, type: TypeURL, on stream: StreamID) {
            guard let record = streams[stream] else { return }
            // Merged outside the dictionary (see `StreamRecord.sent`).
            if !record.pending.isEmpty, var existing = record.pending.removeValue(forKey: type) {
                existing.merge(push)
                record.pending.updateValue(existing, forKey: type)
            } else {
                record.pending.updateValue(push, forKey: type)
            }
            if record.markQueuedIfReady() { ready.push(stream) }
        }

        mutating func enqueueIfPending(_ stream: StreamID) {
            if let record = streams[stream], record.markQueuedIfReady() { ready.push(stream) }
        }

        mutating func publishStaged(now: Duration, _ codec: PushCodec<Payload>) -> [Dispatch<Payload>] {
            let staged = self.staged
            self.staged = [:]
            let stagedViews = self.stagedViews
            self.stagedViews = [:]
            for (type, views) in stagedViews.sorted(by: { $0.key < $1.key }) {
                publishViews(views, type: type, now: now, codec)
            }
            firstStaged = nil
            lastStaged = nil
            for (type, resources) in staged.sorted(by: { $0.key < $1.key }) {
                dropViews(type, now: now)
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
        /// world requires it); other types carry only the changed names a stream watches. Only
        /// the streams watching a changed name are visited (and every delta stream).
        mutating func scheduleChange(_ change: TypeSnapshot.Change, type: TypeURL, now: Duration, view: String = "") {
            let changed = change.all
            // A changed cluster is re-warmed by Envoy, which then waits for its endpoints: like
            // istiod's full push, follow CDS with the endpoints the stream watches.
            // Only the streams of the view whose clusters changed.
            if type == .cluster { scheduleFull(type: .endpoint, now: now, view: view, viewType: .cluster) }
            if type.isSentWhole {
                scheduleFull(type: type, now: now, view: view)
            } else {
                // Each subscription's share of the change is cut once, for all its streams.
                let cuts = subscriptions.sets(of: type, containingAnyOf: changed).map {
                    (SubscriptionKey.names($0), changed.intersection(subscriptions.names(of: $0)))
                }
                for (key, names) in [(SubscriptionKey.wildcard, changed)] + cuts {
                    let push = PendingPush.names(
                        names, since: now, plan: PlanKey(subscription: key, change: publishCount, view: view))
                    for id in subscriptions.members[type]?[key] ?? [] where (streams[id]?.views[type] ?? "") == view {
                        schedule(push, type: type, on: id)
                    }
                }
            }
            for id in deltaStreams {
                guard let record = streams[id], let watch = record.watches[type], (record.views[type] ?? "") == view else { continue }
                let names = watch.wildcard ? changed : changed.intersection(watch.names)
                if !names.isEmpty { schedule(.names(names, since: now), type: type, on: id) }
            }
        }

        /// A whole-set push of `type` to every state-of-the-world stream watching it whose view of
        /// `viewType` (default: `type`) is `view`.
        mutating func scheduleFull(type: TypeURL, now: Duration, view: String = "", viewType: TypeURL? = nil) {
            let viewed = viewType ?? type
            for members in (subscriptions.members[type] ?? [:]).values {
                for id in members where (streams[id]?.views[viewed] ?? "") == view { schedule(.full(since: now), type: type, on: id) }
            }
        }

        /// Starts sends for ready streams while slots are free.
        mutating func drain(_ codec: PushCodec<Payload>) -> [Dispatch<Payload>] {
            var out: [Dispatch<Payload>] = []
            while inFlight < maxSendsInFlight, let id = ready.pop() {
                guard let record = streams[id] else { continue }
                record.queued = false
                while !record.inFlight, let type = record.nextPendingType() {
                    let push = record.pending.removeValue(forKey: type)!
                    guard let sent = makeDispatch(push, type: type, record: record, codec) else { continue }
                    record.sent(
                        nonce: sent.nonce, version: sent.version, versions: sent.versions, type: type, since: push.since)
                    inFlight += 1
                    metrics.pushes[type.shortName, default: 0] += 1
                    out.append(Dispatch(stream: id, typeURL: type, nonce: sent.nonce, payload: sent.payload))
                }
            }
            return out
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
    /// The served type equal to this one, if any. A type URL decoded from a request is a string
    /// of its own; keying every stream's records with the shared constant keeps one copy.
    var shared: TypeURL {
        for known in Self.sharedTypes where known == self { return known }
        return self
    }
    private static let sharedTypes: [TypeURL] = [.cluster, .endpoint, .listener, .route]

    /// One of the xDS types a push core keeps watches for whether or not it has resources of it.
    var isWellKnown: Bool { Self.sharedTypes.contains(self) }

    /// State of the world sends clusters and listeners as the whole set every time: a resource
    /// missing from a CDS or LDS response is removed by Envoy. Other types may go by name.
    var isSentWhole: Bool { self == .cluster || self == .listener }
}
