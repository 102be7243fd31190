import XDSModel

/// The resources of one type when they differ by proxy: one set per *view*, and the function
/// that files a stream under its view from its node. istiod's listeners differ between a sidecar
/// and a gateway and between pods with different ports (`pilot/pkg/networking/core/v1alpha3/
/// listener.go@1.20.0` builds them per proxy); here proxies that see the same configuration share
/// one view, so each of its resources is still encoded once and each response once, for all of
/// that view's streams.
///
/// A view is an opaque key chosen by the caller (istiod: the proxy kind and its inbound ports).
/// The function must be pure and quick: the core calls it under its lock, on every subscription
/// of the type and on every publish of it.
public struct ResourceViews: Sendable {
    package var resources: [String: [XDSResource]]
    package var viewOf: @Sendable (Node?) -> String

    public init(resources: [String: [XDSResource]], viewOf: @escaping @Sendable (Node?) -> String) {
        self.resources = resources
        self.viewOf = viewOf
    }
}

extension PushCore.State {
    /// The snapshot a stream in `view` reads for `type` (the shared one for types without views).
    func snapshot(_ type: TypeURL, view: String) -> TypeSnapshot {
        guard viewFunctions[type] != nil else { return snapshots[type] ?? TypeSnapshot() }
        return viewSnapshots[type]?[view] ?? TypeSnapshot()
    }

    /// The view of `record` for `type`: "" for types without views.
    func view(of record: StreamRecord, _ type: TypeURL) -> String { record.views[type] ?? "" }

    /// A type published whole again (`update(_:_:now:)`) stops having views: every stream of it
    /// reads the shared snapshot, and gets it whole.
    mutating func dropViews(_ type: TypeURL, now: Duration) {
        guard viewFunctions.removeValue(forKey: type) != nil else { return }
        viewSnapshots[type] = nil
        envelopes[type] = nil
        plans[type] = nil
        for (id, record) in streams where record.views.removeValue(forKey: type) != nil {
            schedule(.full(since: now), type: type, on: id)
        }
    }

    /// What a reader outside the streams sees of a type: its shared snapshot, or for a viewed
    /// type every view's resources together (a name in several views shows one of them) under
    /// the latest version published.
    func readableSnapshot(_ type: TypeURL) -> TypeSnapshot {
        guard viewFunctions[type] != nil, let views = viewSnapshots[type] else { return snapshots[type] ?? TypeSnapshot() }
        var entries: [String: TypeSnapshot.Entry] = [:]
        for view in views.keys.sorted() { entries.merge(views[view]!.entries) { old, _ in old } }
        return TypeSnapshot(version: lastViewVersion[type] ?? .none, entries: entries)
    }

    /// Files a new watch of a viewed type under the view its node maps to.
    mutating func assignView(_ record: StreamRecord, type: TypeURL) {
        guard let viewOf = viewFunctions[type], record.views[type] == nil else { return }
        record.views[type] = viewOf(record.node)
    }

    /// Publishes one viewed type: every view's snapshot is replaced (a resource equal to one
    /// already encoded in any view reuses its bytes, so shared listeners are encoded once), the
    /// streams of each changed view get the change, and streams whose node now maps to another
    /// view are moved and get their new view whole.
    mutating func publishViews(_ staged: ResourceViews, type: TypeURL, now: Duration, _ codec: PushCodec<Payload>) {
        viewFunctions[type] = staged.viewOf
        let previous = viewSnapshots[type] ?? [:]
        var old = previous
        var encodedByValue: [XDSResource: [UInt8]]? = nil
        var encodings = 0
        let encode: (XDSResource) -> [UInt8] = { resource in
            if encodedByValue == nil {
                encodedByValue = [:]
                for snapshot in previous.values {
                    for entry in snapshot.entries.values { encodedByValue![entry.value] = entry.encoded.bytes }
                }
            }
            if let bytes = encodedByValue![resource] { return bytes }
            encodings += 1
            let bytes = codec.encodeResource(resource)
            encodedByValue![resource] = bytes
            return bytes
        }
        var changedViews: [(String, TypeSnapshot.Change)] = []
        var next: [String: TypeSnapshot] = [:]
        for view in Set(staged.resources.keys).union(old.keys).sorted() {
            publishCount += 1
            var snapshot = old.removeValue(forKey: view) ?? TypeSnapshot()
            let (change, _) = snapshot.replace(
                with: staged.resources[view] ?? [], typeURL: type, version: ResourceVersion(String(publishCount)),
                encode: encode)
            if staged.resources[view] != nil { next[view] = snapshot }
            if !change.isEmpty {
                changedViews.append((view, change))
                lastViewVersion[type] = ResourceVersion(String(publishCount))
            }
        }
        metrics.encodings += encodings
        viewSnapshots[type] = next
        if !changedViews.isEmpty {
            envelopes[type] = nil
            plans[type] = nil
        }
        for (view, change) in changedViews { scheduleChange(change, type: type, now: now, view: view) }
        // Nodes whose view changed (a pod's ports became known): their new view, whole.
        for (id, record) in streams where record.watches[type] != nil {
            let view = staged.viewOf(record.node)
            guard record.views[type] != view else { continue }
            record.views[type] = view
            schedule(.full(since: now), type: type, on: id)
        }
    }
}
