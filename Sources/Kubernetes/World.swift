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

    /// The state besides the objects; small, persisted as one record.
    package struct WorldMeta: Hashable, Sendable, Codable {
        package internal(set) var resourceVersion: UInt64
        package internal(set) var now: Timestamp
        var rng: SeededRandom
        var transitions: [Transition]
        var transitionSequence: UInt64
        var nextPodIPOffset: UInt32
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
        self.objects = Dictionary(objects.map { ($0.key, $0) }, uniquingKeysWith: { _, b in b })
        self.meta = meta
    }

    package var resourceVersion: UInt64 { meta.resourceVersion }
    package var now: Timestamp { meta.now }
    /// When the world next has something to do by itself, if anything.
    package var nextDue: Timestamp? { meta.transitions.first?.due }

    // MARK: Reading

    package func get(_ key: ObjectKey) -> KubeObject? { objects[key] }

    /// Objects of one resource, sorted by namespace then name; `namespace` nil means all.
    package func list(
        _ resource: ResourceType, namespace: String? = nil, labels: LabelSelector = LabelSelector(),
        fields: FieldSelector? = nil
    ) -> [KubeObject] {
        objects.values
            .filter {
                $0.resource == resource && (namespace == nil || $0.namespace == namespace)
                    && labels.matches($0.labels) && (fields?.matches($0) ?? true)
            }
            .sorted { $0.key < $1.key }
    }

    // MARK: Writing

    /// Everything one write did, for the caller to persist and publish.
    struct Context {
        var events: [WorldEvent] = []
        let admission: [any AdmissionControl]
    }

    /// `POST`: stores a new object (after defaulting, admission and validation) and runs the
    /// controllers it wakes. Returns the stored object and the events, in order.
    package mutating func create(_ object: KubeObject, admission: [any AdmissionControl] = []) throws(WorldError)
        -> (KubeObject, [WorldEvent])
    {
        var ctx = Context(admission: admission)
        let stored = try insert(object, ctx: &ctx)
        settle(ctx: &ctx)
        return (objects[stored.key] ?? stored, ctx.events)
    }

    /// `PUT`: replaces an object's metadata and spec. A resourceVersion in the object must match
    /// the stored one (optimistic concurrency); status stays the server's.
    package mutating func update(_ object: KubeObject, admission: [any AdmissionControl] = []) throws(WorldError)
        -> (KubeObject, [WorldEvent])
    {
        var ctx = Context(admission: admission)
        guard let current = objects[object.key] else { throw .notFound(object.resource, object.name) }
        if object.metadata.resourceVersion != 0, object.metadata.resourceVersion != current.metadata.resourceVersion {
            throw WorldError(
                .conflict,
                "Operation cannot be fulfilled on \(object.resource.qualifiedName) \"\(object.name)\": the object has been modified; please apply your changes to the latest version and try again",
                name: object.name, resource: object.resource)
        }
        let stored = try replace(current, with: object, ctx: &ctx)
        settle(ctx: &ctx)
        return (objects[stored.key] ?? stored, ctx.events)
    }

    package enum PatchType: String, Sendable {
        case merge = "application/merge-patch+json"
        case strategicMerge = "application/strategic-merge-patch+json"
        case json = "application/json-patch+json"
    }

    /// `PATCH` with a merge or strategic-merge patch (what `kubectl label`, `annotate`,
    /// `rollout restart` and `apply` send).
    package mutating func patch(
        _ key: ObjectKey, patch: JSONValue, type: PatchType, admission: [any AdmissionControl] = []
    ) throws(WorldError) -> (KubeObject, [WorldEvent]) {
        guard let current = objects[key] else { throw .notFound(key.resource, key.name) }
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
        var ctx = Context(admission: admission)
        let stored = try replace(current, with: object, keepStatus: false, ctx: &ctx)
        settle(ctx: &ctx)
        return (objects[stored.key] ?? stored, ctx.events)
    }

    /// `DELETE`: pods and namespaces start terminating and go later; everything else goes now,
    /// and its dependents are collected (background propagation, kubectl's default).
    /// `gracePeriodSeconds: 0` removes a pod at once (`--grace-period=0 --force`).
    package mutating func delete(_ key: ObjectKey, gracePeriodSeconds: Int64? = nil) throws(WorldError)
        -> (KubeObject, [WorldEvent])
    {
        guard let current = objects[key] else { throw .notFound(key.resource, key.name) }
        if key.resource == .namespaces, ["default", "kube-system", "kube-public"].contains(key.name) {
            throw .forbidden(.namespaces, key.name, "this namespace may not be deleted")
        }
        var ctx = Context(admission: [])
        let result = beginDeletion(current, gracePeriodSeconds: gracePeriodSeconds, ctx: &ctx)
        settle(ctx: &ctx)
        return (result, ctx.events)
    }

    /// Moves the clock to `now` (never backwards) and does all the work that became due, each
    /// piece at its own due time so timestamps read as if it happened then.
    package mutating func advance(to now: Timestamp) -> [WorldEvent] {
        var ctx = Context(admission: [])
        advance(to: now, ctx: &ctx)
        return ctx.events
    }

    /// `advance` inside a write that already has admission plugins (new pods may be created).
    package mutating func advance(to now: Timestamp, admission: [any AdmissionControl]) -> [WorldEvent] {
        var ctx = Context(admission: admission)
        advance(to: now, ctx: &ctx)
        return ctx.events
    }

    /// At most `limit` pieces of due work, in due order; returns whether any due work is left.
    /// The live world runs a large backlog (a 1,000-pod scale-up's steps) in such slices, each
    /// its own write, so API writes queued meanwhile go in between.
    /// `done` counts the pieces run: some change nothing visible (a step of a pod already
    /// terminating), yet they are gone from the schedule and the world must be kept.
    /// `enough` is asked after each piece (at least one always runs): the caller's own budget,
    /// such as time spent.
    package mutating func advance(
        to now: Timestamp, admission: [any AdmissionControl], limit: Int, enough: () -> Bool = { false }
    ) -> (events: [WorldEvent], done: Int, more: Bool) {
        var ctx = Context(admission: admission)
        let done = advance(to: now, ctx: &ctx, limit: limit, enough: enough)
        return (ctx.events, done, meta.transitions.first.map { $0.due <= now } ?? false)
    }

    @discardableResult
    mutating func advance(to now: Timestamp, ctx: inout Context, limit: Int = 100_000, enough: () -> Bool = { false }) -> Int {
        // Bounded: a controller bug must not turn one tick into an endless loop.
        var budget = limit
        defer { if now > meta.now { meta.now = now } }
        while budget > 0, let next = meta.transitions.first, next.due <= now {
            budget -= 1
            meta.transitions.removeFirst()
            if next.due > meta.now { meta.now = next.due }
            fire(next, ctx: &ctx)
            settle(ctx: &ctx)
            if enough() { break }
        }
        return limit - budget
    }

    // MARK: Storage primitives (every write goes through these two)

    /// Stores `object` with the next resource version and records the event.
    @discardableResult
    mutating func put(_ object: KubeObject, _ type: WorldEvent.Kind, ctx: inout Context) -> KubeObject {
        var object = object
        meta.resourceVersion += 1
        object.metadata.resourceVersion = meta.resourceVersion
        objects[object.key] = object
        ctx.events.append(WorldEvent(type: type, object: object))
        return object
    }

    /// Removes an object for good and records the DELETED event.
    mutating func remove(_ key: ObjectKey, ctx: inout Context) {
        guard var object = objects.removeValue(forKey: key) else { return }
        meta.resourceVersion += 1
        object.metadata.resourceVersion = meta.resourceVersion
        ctx.events.append(WorldEvent(type: .deleted, object: object))
        meta.transitions.removeAll { $0.key == key }
    }

    mutating func schedule(_ object: KubeObject, _ action: Transition.Action, afterSteps steps: Int64) {
        meta.transitionSequence += 1
        let t = Transition(
            due: meta.now + steps * config.stepMilliseconds, sequence: meta.transitionSequence, key: object.key,
            uid: object.metadata.uid, action: action)
        let index = meta.transitions.firstIndex { ($0.due, $0.sequence) > (t.due, t.sequence) } ?? meta.transitions.endIndex
        meta.transitions.insert(t, at: index)
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
