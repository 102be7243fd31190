import JSON
/// Where the world keeps its `core/v1` Events, apart from every other object: the controllers'
/// `settle` pass walks `World.objects`, and a busy cluster has many more events than anything
/// else, so events stored there would make every write slower as they pile up.
///
/// Events expire like the API server's (`--event-ttl`, default one hour: the registry gives each
/// event an etcd lease of that TTL on create *and* on update,
/// `pkg/registry/core/event/storage/storage.go@v1.32.0`), on the world's clock. Expiry keeps one
/// queue entry per write in time order (every write expires last, so appending keeps the order)
/// and compacts it when stale entries (of events written again since) outnumber live ones, so
/// nothing grows beyond a small multiple of the live events.
package struct EventStore: Hashable, Sendable {
    /// Two stores are equal when they hold the same events: the queue, the index and the UID
    /// generator are derived (rebuilt when a world is read back).
    package static func == (a: Self, b: Self) -> Bool { a.byKey == b.byKey }
    package func hash(into h: inout Hasher) { h.combine(byKey) }

    /// Live events by key.
    private(set) var byKey: [ObjectKey: KubeObject] = [:]
    /// When each live event expires (its last write plus the TTL).
    private var expiry: [ObjectKey: Timestamp] = [:]
    /// (due, key) in due order from `head`; entries whose due differs from `expiry` are stale.
    private var queue: [Entry] = []
    private var head = 0
    /// The event recorder's correlation key → the event that carries it.
    private var correlation: [String: ObjectKey] = [:]
    /// Event UIDs come from their own generator, so recording events does not change the names
    /// and UIDs the world draws for everything else.
    private var rng = SeededRandom(seed: 0xE7E7_5EED)

    struct Entry: Hashable, Sendable {
        var due: Timestamp
        var key: ObjectKey
    }

    init() {}

    /// A store for a world read back at resource version `resourceVersion`: its UIDs continue
    /// from a generator that cannot repeat the ones drawn before.
    init(restoredAt resourceVersion: UInt64) { rng = SeededRandom(seed: 0xE7E7_5EED ^ resourceVersion &* 0x9E37_79B9) }

    mutating func newUID() -> String { KubeNames.uid(using: &rng) }

    package var count: Int { byKey.count }
    /// Entries in the expiry queue (live and stale): stays within a small multiple of `count`.
    package var pendingExpiries: Int { queue.count - head }

    func get(_ key: ObjectKey) -> KubeObject? { byKey[key] }

    func list(namespace: String?) -> [KubeObject] {
        byKey.values.filter { namespace == nil || $0.namespace == namespace }.sorted { $0.key < $1.key }
    }

    /// The event that carries this correlation key, if it is still stored.
    func correlated(_ correlationKey: String) -> KubeObject? { correlation[correlationKey].flatMap { byKey[$0] } }

    /// Stores (or rewrites) an event that expires at `expires`.
    mutating func store(_ event: KubeObject, expires: Timestamp) {
        let key = event.key
        if let old = byKey[key] { correlation[Self.correlationKey(old)] = nil }
        byKey[key] = event
        correlation[Self.correlationKey(event)] = key
        expiry[key] = expires
        queue.append(Entry(due: expires, key: key))
        compact()
    }

    @discardableResult
    mutating func remove(_ key: ObjectKey) -> KubeObject? {
        guard let old = byKey.removeValue(forKey: key) else { return nil }
        if correlation[Self.correlationKey(old)] == key { correlation[Self.correlationKey(old)] = nil }
        expiry[key] = nil
        compact()
        return old
    }

    /// When the next event expires, if any.
    var nextExpiry: Timestamp? { head < queue.count ? queue[head].due : nil }

    /// The key of the next event to expire if it is due by `now`.
    func nextExpired(by now: Timestamp) -> ObjectKey? {
        guard head < queue.count, queue[head].due <= now else { return nil }
        return queue[head].key
    }

    /// Drops stale entries at the head, and rebuilds the queue when most of it is stale.
    private mutating func compact() {
        while head < queue.count, expiry[queue[head].key] != queue[head].due { head += 1 }
        let live = queue.count - head
        if head > 64 && head * 2 > queue.count || live > 2 * expiry.count + 64 {
            queue = queue[head...].filter { expiry[$0.key] == $0.due }
            head = 0
        }
    }

    /// client-go's `getEventKey` (`tools/record/events_cache.go`): two events are the same when
    /// their source, involved object, type, reason and message are.
    static func correlationKey(_ event: KubeObject) -> String {
        let b = event.body
        let ref = b["involvedObject"] ?? .object([:])
        let fields: [JSONValue?] = [
            b["source"]?["component"], b["source"]?["host"], ref["kind"], ref["namespace"], ref["name"],
            ref["fieldPath"], ref["uid"], ref["apiVersion"], b["type"], b["reason"], b["message"],
        ]
        return fields.map { $0?.stringValue ?? "" }.joined(separator: "\u{0}")
    }

    /// When a stored event was last written, for one read back from a store: the recorder's
    /// `lastTimestamp`, the events API's `eventTime`, else its creation.
    static func lastWrite(_ event: KubeObject) -> Timestamp {
        let stamps = [event.body["lastTimestamp"], event.body["eventTime"], event.body["series"]?["lastObservedTime"]]
            .compactMap { $0?.stringValue.flatMap { Timestamp(rfc3339: $0) } }
        return stamps.max() ?? event.metadata.creationTimestamp
    }
}
