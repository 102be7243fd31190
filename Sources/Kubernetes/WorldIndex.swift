/// Lookups derived from `World.objects`, kept up to date by the two storage primitives (`put`,
/// `remove`) and built afresh when a world is reassembled from a store. The controllers run
/// inside every write; without these, each of them filtered the whole object table (a 10,000-pod
/// world spent most of every write finding a ReplicaSet's pods and a free pod IP).
///
/// A value like the world it indexes: copies share storage until one side writes. It is derived
/// data, so it takes no part in the world's equality or hash.
struct WorldIndex: Sendable {
    /// Names by resource, then namespace (empty for cluster-scoped kinds).
    private(set) var names: [ResourceType: [String: Set<String>]] = [:]
    /// How many namespaced objects each namespace holds.
    private(set) var namespaceCounts: [String: Int] = [:]
    /// Controlling owner's uid → the keys of the objects it controls.
    private(set) var dependents: [String: Set<ObjectKey>] = [:]
    /// How many stored objects carry each uid.
    private(set) var uids: [String: Int] = [:]
    /// Owner uids that some dependent names and no stored object carries: garbage collection's
    /// work list.
    private(set) var missingOwners: Set<String> = []
    /// Pod IP → how many pods report it.
    private(set) var podIPs: [String: Int] = [:]

    init() {}

    init<S: Sequence>(_ objects: S) where S.Element == KubeObject {
        for object in objects { insert(object) }
    }

    static func podIP(_ o: KubeObject) -> String? {
        o.resource == .pods ? o.status["podIP"]?.stringValue : nil
    }

    static func controllerUIDs(_ o: KubeObject) -> [String] {
        o.metadata.ownerReferences.compactMap { $0.controller ? $0.uid : nil }
    }

    mutating func insert(_ o: KubeObject) {
        names[o.resource, default: [:]][o.namespace, default: []].insert(o.name)
        if o.resource.namespaced { namespaceCounts[o.namespace, default: 0] += 1 }
        addIdentity(o)
        addOwners(o)
        if let ip = Self.podIP(o) { podIPs[ip, default: 0] += 1 }
    }

    mutating func remove(_ o: KubeObject) {
        if names[o.resource]?[o.namespace]?.remove(o.name) != nil {
            if names[o.resource]?[o.namespace]?.isEmpty == true { names[o.resource]?[o.namespace] = nil }
            if names[o.resource]?.isEmpty == true { names[o.resource] = nil }
        }
        if o.resource.namespaced { Self.decrement(&namespaceCounts, o.namespace) }
        removeOwners(o)
        removeIdentity(o)
        if let ip = Self.podIP(o) { Self.decrement(&podIPs, ip) }
    }

    /// `new` replaces `old` under the same key: only what differs is touched, as most writes
    /// change neither owners nor IPs.
    mutating func replace(_ old: KubeObject, with new: KubeObject) {
        if old.metadata.uid != new.metadata.uid {
            removeIdentity(old)
            addIdentity(new)
        }
        if Self.controllerUIDs(old) != Self.controllerUIDs(new) {
            removeOwners(old)
            addOwners(new)
        }
        let (oldIP, newIP) = (Self.podIP(old), Self.podIP(new))
        if oldIP != newIP {
            if let oldIP { Self.decrement(&podIPs, oldIP) }
            if let newIP { podIPs[newIP, default: 0] += 1 }
        }
    }

    private mutating func addIdentity(_ o: KubeObject) {
        uids[o.metadata.uid, default: 0] += 1
        missingOwners.remove(o.metadata.uid)
    }

    private mutating func removeIdentity(_ o: KubeObject) {
        let uid = o.metadata.uid
        Self.decrement(&uids, uid)
        if uids[uid] == nil, dependents[uid] != nil { missingOwners.insert(uid) }
    }

    private mutating func addOwners(_ o: KubeObject) {
        for uid in Self.controllerUIDs(o) {
            dependents[uid, default: []].insert(o.key)
            if uids[uid] == nil { missingOwners.insert(uid) }
        }
    }

    private mutating func removeOwners(_ o: KubeObject) {
        for uid in Self.controllerUIDs(o) {
            dependents[uid]?.remove(o.key)
            if dependents[uid]?.isEmpty == true {
                dependents[uid] = nil
                missingOwners.remove(uid)
            }
        }
    }

    private static func decrement(_ counts: inout [String: Int], _ key: String) {
        guard let n = counts[key] else { return }
        counts[key] = n > 1 ? n - 1 : nil
    }

    // MARK: Reading

    /// Keys of one resource in `namespace` (nil: every namespace), unordered.
    func keys(_ resource: ResourceType, namespace: String? = nil) -> [ObjectKey] {
        guard let byNamespace = names[resource] else { return [] }
        if let namespace {
            return (byNamespace[namespace] ?? []).map {
                ObjectKey(resource, namespace: namespace, name: $0)
            }
        }
        return byNamespace.flatMap { ns, names in names.map { ObjectKey(resource, namespace: ns, name: $0) } }
    }

    /// Keys of every namespaced object in `namespace`, unordered.
    func keys(inNamespace namespace: String) -> [ObjectKey] {
        guard namespaceCounts[namespace] != nil else { return [] }
        return names.flatMap { resource, byNamespace in
            resource.namespaced
                ? (byNamespace[namespace] ?? []).map { ObjectKey(resource, namespace: namespace, name: $0) } : []
        }
    }

    /// Keys of the objects whose controlling owner is gone.
    var orphans: Set<ObjectKey> {
        missingOwners.reduce(into: []) { $0.formUnion(dependents[$1] ?? []) }
    }
}

/// Derived from the objects: two worlds with equal objects have equal indexes.
extension WorldIndex: Hashable {
    static func == (_: WorldIndex, _: WorldIndex) -> Bool { true }
    func hash(into _: inout Hasher) {}
}

extension World {
    /// Keys of every `resource` object, in no particular order: for readers that group or look up
    /// rather than list (istiod's generation cache checks versions after every change).
    package func keys(_ resource: ResourceType) -> [ObjectKey] { index.keys(resource) }
}
