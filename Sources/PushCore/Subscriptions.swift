import XDSModel

/// A state-of-the-world subscription: every resource of the type, or an interned name set by its ID.
enum SubscriptionKey: Hashable, Sendable {
    case wildcard
    case names(Int)
}

/// Who watches what on the state-of-the-world streams of one core.
///
/// - Each distinct name set is interned once: streams that ask for equal names (every sidecar of
///   a deployment asks for the same EDS names) share one `Set`'s storage and one ID, which is
///   what their shared plans are cached under.
/// - Per type, the streams holding each subscription, and the subscriptions that contain each
///   name. An endpoint change then visits only the subscriptions containing a changed name and
///   the streams holding them; a stream that does not watch the changed assignment costs nothing.
///
/// A set is forgotten when its last stream leaves. IDs are never reused, so a plan cached under
/// an ID always means that set.
struct Subscriptions: Sendable {
    private var ids: [Set<String>: Int] = [:]
    private var sets: [Int: Set<String>] = [:]
    private var lastID = 0
    /// Per type, the streams holding each subscription.
    private(set) var members: [TypeURL: [SubscriptionKey: Set<StreamID>]] = [:]
    /// Per type, the interned sets (by ID) that contain each name.
    private var containing: [TypeURL: [String: Set<Int>]] = [:]

    /// Replaces `names` by the equal set already interned, if any, and returns the set's ID.
    mutating func intern(_ names: inout Set<String>) -> Int {
        if let index = ids.index(forKey: names) {
            names = ids.keys[index]
            return ids.values[index]
        }
        lastID += 1
        ids[names] = lastID
        sets[lastID] = names
        return lastID
    }

    func names(of id: Int) -> Set<String> { sets[id] ?? [] }

    /// Files `stream` under `key` for `type`. The first stream of a name set indexes its names.
    mutating func join(_ stream: StreamID, _ key: SubscriptionKey, type: TypeURL) {
        members[type, default: [:]][key, default: []].insert(stream)
        guard case .names(let id) = key, members[type]?[key]?.count == 1 else { return }
        for name in sets[id] ?? [] { containing[type, default: [:]][name, default: []].insert(id) }
    }

    /// Takes `stream` out of `key` for `type`; the last stream out unindexes the set's names and,
    /// if no other type uses the set, forgets it.
    mutating func leave(_ stream: StreamID, _ key: SubscriptionKey, type: TypeURL) {
        guard members[type]?[key]?.remove(stream) != nil, members[type]?[key]?.isEmpty == true else { return }
        members[type]?[key] = nil
        guard case .names(let id) = key else { return }
        for name in sets[id] ?? [] {
            containing[type]?[name]?.remove(id)
            if containing[type]?[name]?.isEmpty == true { containing[type]?[name] = nil }
        }
        if !members.values.contains(where: { $0[key] != nil }), let names = sets.removeValue(forKey: id) {
            ids[names] = nil
        }
    }

    /// The interned sets subscribed to for `type` that contain at least one of `names`.
    func sets(of type: TypeURL, containingAnyOf names: Set<String>) -> Set<Int> {
        guard let byName = containing[type] else { return [] }
        var found: Set<Int> = []
        for name in names { if let ids = byName[name] { found.formUnion(ids) } }
        return found
    }
}
