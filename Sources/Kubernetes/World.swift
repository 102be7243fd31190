import JSON
/// The whole emulated cluster as one value: every object, the resource-version counter, the clock
/// reading and the work scheduled for later. Pure: no I/O, no clock of its own, no shared state.
/// Each write returns the events it caused, in order; `Cluster` serialises writes, persists them
/// and fans the events out.
///
/// Controllers run inside each write, as Kubernetes' would right after it: a Deployment gets its
/// ReplicaSet, the ReplicaSet its pods, and pods step through their phases as time advances.
package struct World: Hashable, Sendable {
    package internal(set) var config: WorldConfig
    package internal(set) var objects: [ObjectKey: KubeObject]
    package internal(set) var meta: WorldMeta
    /// Events live apart from `objects` (see `EventStore`); `get` and `list` read both.
    package internal(set) var eventStore = EventStore()
    /// Lookups over `objects` (by type and namespace, by owner, used pod IPs); see `WorldIndex`.
    private(set) var index = WorldIndex()

    /// The state besides the objects; small, persisted as one record.
    package struct WorldMeta: Hashable, Sendable, Codable {
        package internal(set) var resourceVersion: UInt64
        package internal(set) var now: Timestamp
        var rng: SeededRandom
        var transitions: [Transition]
        var transitionSequence: UInt64
        var nextPodIPOffset: UInt32
        /// The ReplicaSet controller's rate-limited queue (absent in worlds saved before it).
        var replicaSetQueue: ControllerQueue? = nil
    }

    /// An empty world (no namespaces at all) at time `now`.
    package init(config: WorldConfig = WorldConfig(), now: Timestamp) {
        self.config = config
        self.objects = [:]
        self.meta = WorldMeta(
            resourceVersion: 1, now: now, rng: SeededRandom(seed: config.seed), transitions: [],
            transitionSequence: 0, nextPodIPOffset: 2)
    }

    /// Reassembles a world from what a store saved.
    package init(config: WorldConfig, objects: [KubeObject], meta: WorldMeta) {
        self.config = config
        self.objects = Dictionary(
            objects.filter { $0.resource != .events }.map { ($0.key, $0) }, uniquingKeysWith: { _, b in b })
        self.index = WorldIndex(self.objects.values)
        self.meta = meta
        self.eventStore = EventStore(restoredAt: meta.resourceVersion)
        // Oldest first: the expiry queue must stay in due order.
        for event in objects.filter({ $0.resource == .events }).sorted(by: { EventStore.lastWrite($0) < EventStore.lastWrite($1) }) {
            eventStore.store(event, expires: EventStore.lastWrite(event) + config.eventTTL)
        }
    }

    package var resourceVersion: UInt64 { meta.resourceVersion }
    package var now: Timestamp { meta.now }
    /// When the world next has something to do by itself, if anything.
    package var nextDue: Timestamp? {
        [meta.transitions.first?.due, eventStore.nextExpiry].compactMap { $0 }.min()
    }

    // MARK: Reading

    package func get(_ key: ObjectKey) -> KubeObject? { key.resource == .events ? eventStore.get(key) : objects[key] }

    /// Objects of one resource, sorted by namespace then name; `namespace` nil means all.
    package func list(
        _ resource: ResourceType, namespace: String? = nil, labels: LabelSelector = LabelSelector(),
        fields: FieldSelector? = nil
    ) -> [KubeObject] {
        if resource == .events {
            return eventStore.list(namespace: namespace).filter { labels.matches($0.labels) && (fields?.matches($0) ?? true) }
        }
        return index.keys(resource, namespace: namespace).compactMap { objects[$0] }
            .filter { labels.matches($0.labels) && (fields?.matches($0) ?? true) }
            .sorted { $0.key < $1.key }
    }

    // MARK: Writing

    /// Everything one write did, for the caller to persist and publish.
    struct Context {
        var events: [WorldEvent] = []
        let admission: [any AdmissionControl]
        /// How the request's own object records managed fields; the first insert or replace
        /// takes it, so objects controllers write in the same write are not attributed to it.
        var fieldWrite: FieldWrite? = nil
        /// How many of `events` the endpoint controllers have already seen.
        var endpointsCursor = 0
        /// How many of `events` each workload pass of `settle` has already seen.
        var deploymentsCursor = 0
        var replicaSetsCursor = 0
        var statusCursor = 0
        /// ReplicaSets whose queued sync fell due (no event announces it).
        var dueReplicaSets: Set<ObjectKey> = []
        /// Set while time advances: endpoints are synced once per instant, not after every transition.
        var endpointsBatched = false
    }

    /// `POST`: stores a new object (after defaulting, admission and validation) and runs the
    /// controllers it wakes. Returns the stored object and the events, in order.
    package mutating func create(_ object: KubeObject, admission: [any AdmissionControl] = [], owner: FieldOwner? = nil)
        throws(WorldError) -> (KubeObject, [WorldEvent])
    {
        var ctx = Context(admission: admission, fieldWrite: owner.map { .update($0) })
        let stored = try insert(object, ctx: &ctx)
        settle(ctx: &ctx)
        return (get(stored.key) ?? stored, ctx.events)
    }

    /// `PUT`: replaces an object's metadata and spec. A resourceVersion in the object must match
    /// the stored one (optimistic concurrency); status stays the server's.
    package mutating func update(_ object: KubeObject, admission: [any AdmissionControl] = [], owner: FieldOwner? = nil)
        throws(WorldError) -> (KubeObject, [WorldEvent])
    {
        var ctx = Context(admission: admission, fieldWrite: owner.map { .update($0) })
        guard let current = get(object.key) else { throw .notFound(object.resource, object.name) }
        if object.metadata.resourceVersion != 0, object.metadata.resourceVersion != current.metadata.resourceVersion {
            throw WorldError(
                .conflict,
                "Operation cannot be fulfilled on \(object.resource.qualifiedName) \"\(object.name)\": the object has been modified; please apply your changes to the latest version and try again",
                name: object.name, resource: object.resource)
        }
        let stored = try replace(current, with: object, ctx: &ctx)
        settle(ctx: &ctx)
        return (get(stored.key) ?? stored, ctx.events)
    }

    package enum PatchType: String, Sendable {
        case merge = "application/merge-patch+json"
        case strategicMerge = "application/strategic-merge-patch+json"
        case json = "application/json-patch+json"
    }

    /// `PATCH` with a merge or strategic-merge patch (what `kubectl label`, `annotate`,
    /// `rollout restart` and `apply` send).
    package mutating func patch(
        _ key: ObjectKey, patch: JSONValue, type: PatchType, admission: [any AdmissionControl] = [],
        owner: FieldOwner? = nil
    ) throws(WorldError) -> (KubeObject, [WorldEvent]) {
        guard let current = get(key) else { throw .notFound(key.resource, key.name) }
        if type != .json, patch.objectValue == nil {
            throw .badRequest("json: cannot unmarshal \(Self.jsonTypeName(patch)) into Go value of type map[string]interface {}")
        }
        let patched: JSONValue
        switch type {
        case .json:
            do { patched = try JSONPatch.apply(operations: patch, to: current.json) } catch {
                throw .badRequest(error.message)
            }
        case .merge: patched = JSONPatch.merge(current.json, patch)
        case .strategicMerge:
            do { patched = try JSONPatch.strategicMerge(current.json, patch) } catch {
                throw .badRequest(error.message)
            }
        }
        var object = try KubeObject(json: patched, resource: key.resource)
        if object.name != key.name {
            throw .badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(key.name))")
        }
        if patched["metadata"]?["resourceVersion"] == current.json["metadata"]?["resourceVersion"] {
            object.metadata.resourceVersion = 0  // only a resourceVersion the patch set is a precondition
        }
        if object.metadata.resourceVersion != 0, object.metadata.resourceVersion != current.metadata.resourceVersion {
            throw WorldError(
                .conflict,
                "Operation cannot be fulfilled on \(key.resource.qualifiedName) \"\(key.name)\": the object has been modified; please apply your changes to the latest version and try again",
                name: key.name, resource: key.resource)
        }
        var ctx = Context(admission: admission, fieldWrite: owner.map { .update($0) })
        let stored = try replace(current, with: object, keepStatus: false, ctx: &ctx)
        settle(ctx: &ctx)
        return (get(stored.key) ?? stored, ctx.events)
    }

    /// `DELETE`: pods and namespaces start terminating and go later; everything else goes now,
    /// and its dependents are collected (background propagation, kubectl's default).
    /// `gracePeriodSeconds: 0` removes a pod at once (`--grace-period=0 --force`).
    package mutating func delete(
        _ key: ObjectKey, gracePeriodSeconds: Int64? = nil, admission: [any AdmissionControl] = []
    ) throws(WorldError) -> (KubeObject, [WorldEvent]) {
        guard let current = get(key) else { throw .notFound(key.resource, key.name) }
        if key.resource == .namespaces, ["default", "kube-system", "kube-public"].contains(key.name) {
            throw .forbidden(.namespaces, key.name, "this namespace may not be deleted")
        }
        // The controllers this wakes (a ReplicaSet replacing the pod) create through admission.
        var ctx = Context(admission: admission)
        let result = beginDeletion(current, gracePeriodSeconds: gracePeriodSeconds, ctx: &ctx)
        settle(ctx: &ctx)
        return (result, ctx.events)
    }

    /// Moves the clock to `now` (never backwards) and does all the work that became due, each
    /// piece at its own due time so timestamps read as if it happened then.
    /// Pods the controllers create on the way pass `admission`, as every create does.
    package mutating func advance(to now: Timestamp, admission: [any AdmissionControl] = []) -> [WorldEvent] {
        var ctx = Context(admission: admission)
        advance(to: now, ctx: &ctx)
        return ctx.events
    }

    /// At most `limit` pieces of due work, in due order (`nextDue` tells whether any is left).
    /// The live world runs a large backlog (a 1,000-pod scale-up's steps) in such slices, each
    /// its own write, so API writes queued meanwhile go in between.
    /// `done` counts the pieces run: some change nothing visible (a step of a pod already
    /// terminating), yet they are gone from the schedule and the world must be kept.
    /// `enough` is asked after each piece (at least one always runs): the caller's own budget,
    /// such as time spent.
    package mutating func advance(
        to now: Timestamp, admission: [any AdmissionControl], limit: Int, enough: () -> Bool = { false }
    ) -> (events: [WorldEvent], done: Int) {
        var ctx = Context(admission: admission)
        let done = advance(to: now, ctx: &ctx, limit: limit, enough: enough)
        return (ctx.events, done)
    }

    @discardableResult
    mutating func advance(to now: Timestamp, ctx: inout Context, limit: Int = 100_000, enough: () -> Bool = { false }) -> Int {
        // Bounded: a controller bug must not turn one tick into an endless loop.
        var budget = limit
        ctx.endpointsBatched = true
        while budget > 0 {
            budget -= 1
            // Expired events go at their own time, before any later transition.
            if let expired = eventStore.nextExpired(by: now),
                meta.transitions.first.map({ eventStore.nextExpiry! <= $0.due }) ?? true
            {
                expireEvent(expired, ctx: &ctx)
                continue
            }
            guard let next = meta.transitions.first, next.due <= now else { break }
            if next.due > meta.now { meta.now = next.due }
            // Work due at the same instant (a burst of new pods' first steps) fires together and
            // the controllers settle once after it, not once per pod.
            while budget > 0, let t = meta.transitions.first, t.due == next.due {
                budget -= 1
                meta.transitions.removeFirst()
                fire(t, ctx: &ctx)
            }
            settle(ctx: &ctx)
            // The endpoint controllers take everything that changed at one instant together, as
            // their work queue coalesces a Service's changes.
            syncEndpoints(ctx: &ctx)
            if enough() { break }
        }
        ctx.endpointsBatched = false
        syncEndpoints(ctx: &ctx)
        if now > meta.now { meta.now = now }
        return limit - budget
    }

    // MARK: Storage primitives (every write goes through these two)

    /// Stores `object` with the next resource version and records the event.
    @discardableResult
    mutating func put(_ object: KubeObject, _ type: WorldEvent.Kind, ctx: inout Context) -> KubeObject {
        var object = object
        meta.resourceVersion += 1
        object.metadata.resourceVersion = meta.resourceVersion
        if object.resource == .events {
            eventStore.store(object, expires: meta.now + config.eventTTL)
        } else {
            if let old = objects.updateValue(object, forKey: object.key) {
                index.replace(old, with: object)
            } else {
                index.insert(object)
            }
        }
        ctx.events.append(WorldEvent(type: type, object: object))
        return object
    }

    /// Removes an object for good and records the DELETED event.
    mutating func remove(_ key: ObjectKey, ctx: inout Context) {
        guard var object = key.resource == .events ? eventStore.remove(key) : objects.removeValue(forKey: key) else { return }
        if key.resource != .events { index.remove(object) }
        meta.resourceVersion += 1
        object.metadata.resourceVersion = meta.resourceVersion
        ctx.events.append(WorldEvent(type: .deleted, object: object))
        if key.resource != .events { meta.transitions.removeAll { $0.key.name == key.name && $0.key == key } }
        if key.resource == .replicaSets, meta.replicaSetQueue != nil { replicaSetQueue.forget(key) }
    }

    mutating func schedule(_ object: KubeObject, _ action: Transition.Action, afterSteps steps: Int64) {
        schedule(object, action, afterMilliseconds: steps * config.stepMilliseconds)
    }

    static func jsonTypeName(_ v: JSONValue) -> String {
        switch v {
        case .array: "array"
        case .string: "string"
        case .int, .double: "number"
        case .bool: "bool"
        case .null: "null"
        case .object: "object"
        }
    }
}
