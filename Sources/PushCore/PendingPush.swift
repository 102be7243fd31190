import XDSModel

/// The one push waiting for a stream and type. New changes merge into it rather than queueing
/// behind it, so a stream that falls behind receives the latest state once, not every step.
struct PendingPush: Sendable, Equatable {
    /// Send the whole subscribed set (CDS always; any type after a (re)subscription).
    var full: Bool
    /// Otherwise, only these names (an incremental endpoint push, a delta subscription).
    var names: Set<String>
    /// When the oldest change merged in here was released: the start of the convergence clock.
    var since: Duration
    /// State of the world, by name: the subscription and change these names were cut for. Every
    /// stream of that subscription got the same names, so they share one plan. Nil once merged.
    var plan: PlanKey? = nil

    static func full(since: Duration) -> PendingPush { PendingPush(full: true, names: [], since: since) }
    static func names(_ names: Set<String>, since: Duration, plan: PlanKey? = nil) -> PendingPush {
        PendingPush(full: false, names: names, since: since, plan: plan)
    }

    mutating func merge(_ other: PendingPush) {
        full = full || other.full
        names = full ? [] : names.union(other.names)
        since = min(since, other.since)
        if plan != other.plan || full { plan = nil }
    }
}

/// Names a state-of-the-world response within one snapshot of a type: the whole set of a
/// subscription (`change` nil), or what one change carries for it.
struct PlanKey: Hashable, Sendable {
    let subscription: SubscriptionKey
    let change: Int?
    /// The view the plan was cut for (`ResourceViews`); "" for types without views.
    var view: String = ""
}

/// The push queue's per-stream bookkeeping. A class, read from the streams table once per push
/// and updated where it lies: a struct copied out and written back shares its dictionaries with
/// the copy, so each mutation in between copies them, and mutating it in place through the
/// table's `_modify` accessor heap-allocates the accessor's frame for a value this size; either
/// way, allocations per stream and push. Only ever read or written under the core's lock.
final class StreamRecord: @unchecked Sendable {
    let kind: StreamKind
    var node: Node?
    var watches: [TypeURL: Watch] = [:]
    /// State of the world: the subscription each watch is filed under (`Subscriptions`).
    var subscribed: [TypeURL: SubscriptionKey] = [:]
    /// The view of each viewed type this stream watches (`ResourceViews`).
    var views: [TypeURL: String] = [:]
    var pending: [TypeURL: PendingPush] = [:]
    /// When the response in flight (or last sent) for a type was triggered, by nonce.
    var sentSince: [TypeURL: Duration] = [:]
    /// A send is being written to this stream; the next waits for its completion.
    var inFlight = false
    /// The send in flight counts against the core's global limit; it stops counting once stalled.
    var holdsSlot = false
    /// Sends started so far: tells a stall check whether the send it saw before is still the one
    /// in flight.
    var sendCount = 0
    /// The send a stall check first saw in flight, and when.
    var observedSend = 0
    var observedAt: Duration = .zero
    /// The send in flight outlived `StallPolicy.releaseSlotAfter`.
    var stalled = false
    /// Outlived `StallPolicy.endStreamAfter`; the server is ending the stream.
    var ending = false
    var queued = false

    init(kind: StreamKind) { self.kind = kind }

    /// Marks the record queued if it has something to send and nothing in flight; true if the
    /// caller must put it on the ready list.
    func markQueuedIfReady() -> Bool {
        guard !inFlight, !queued, !pending.isEmpty else { return false }
        queued = true
        return true
    }

    /// Records a response as sent (its send now in flight), and, for delta, what the client holds.
    func sent(
        nonce: Nonce, version: ResourceVersion, versions: [(String, ResourceVersion?)], type: TypeURL,
        since: Duration
    ) {
        inFlight = true
        holdsSlot = true
        sendCount += 1
        // Taken out and put back rather than mutated through `watches[type]?.…`: that goes
        // through the dictionary's `_modify`, whose frame is heap-allocated for a `Watch`.
        if var watch = watches.removeValue(forKey: type) {
            watch.sentNonce = nonce
            watch.sentVersion = version
            for (name, version) in versions { watch.known[name] = version }
            watches.updateValue(watch, forKey: type)
        }
        sentSince.updateValue(since, forKey: type)
    }

    /// Types are sent clusters first, then listeners, endpoints and routes: Envoy warms a new
    /// cluster before it asks for (and needs) its endpoints.
    static let order: [TypeURL] = [.cluster, .listener, .endpoint, .route]

    func nextPendingType() -> TypeURL? {
        // One pending type is the common case (an endpoint push): no need to hash the order's.
        if pending.count < 2 { return pending.first?.key }
        for type in Self.order where pending[type] != nil { return type }
        return pending.keys.min()
    }
}

/// Debounce: changes are held until the world has been quiet for `quiet`, but never longer than
/// `maxDelay` after the first (Istio's PILOT_DEBOUNCE_AFTER and PILOT_DEBOUNCE_MAX).
public struct DebounceConfig: Sendable, Equatable {
    package var quiet: Duration
    package var maxDelay: Duration
    public init(quiet: Duration, maxDelay: Duration) {
        self.quiet = quiet
        self.maxDelay = maxDelay
    }
    /// Every change is pushed at once.
    public static let off = DebounceConfig(quiet: .zero, maxDelay: .zero)
    package static let istio = DebounceConfig(quiet: .milliseconds(100), maxDelay: .seconds(10))
    package var isOff: Bool { quiet == .zero && maxDelay == .zero }
}
