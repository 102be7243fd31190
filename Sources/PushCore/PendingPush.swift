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

    static func full(since: Duration) -> PendingPush { PendingPush(full: true, names: [], since: since) }
    static func names(_ names: Set<String>, since: Duration) -> PendingPush {
        PendingPush(full: false, names: names, since: since)
    }

    mutating func merge(_ other: PendingPush) {
        full = full || other.full
        names = full ? [] : names.union(other.names)
        since = min(since, other.since)
    }
}

/// The push queue's per-stream bookkeeping.
struct StreamRecord: Sendable {
    let kind: StreamKind
    var node: Node?
    var watches: [TypeURL: Watch] = [:]
    /// State of the world: the interned ID of each watch's name set (`State.intern`).
    var subscriptions: [TypeURL: Int] = [:]
    var pending: [TypeURL: PendingPush] = [:]
    /// When the response in flight (or last sent) for a type was triggered, by nonce.
    var sentSince: [TypeURL: Duration] = [:]
    /// A send is being written to this stream; the next waits for its completion.
    var inFlight = false
    var queued = false

    init(kind: StreamKind) { self.kind = kind }

    /// Types are sent clusters first, then listeners, endpoints and routes: Envoy warms a new
    /// cluster before it asks for (and needs) its endpoints.
    static let order: [TypeURL] = [.cluster, .listener, .endpoint, .route]

    func nextPendingType() -> TypeURL? {
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
