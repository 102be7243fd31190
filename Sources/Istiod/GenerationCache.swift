import Kubernetes
import XDSModel

/// istiod's generated clusters and endpoints, remembered per Service with the resource versions
/// they came from: after a world change only the Services whose object or EndpointSlices changed
/// are generated again (one Service's slices re-derive that Service's assignments only), and the
/// full lists are reassembled only for a type that changed, so an unchanged type keeps the very
/// same storage (and compares equal at once). Equal, after any change, to generating everything
/// from scratch with `CDS.clusters` and `EDS.assignments`.
struct GenerationCache {
    /// What one Service's output was computed from.
    struct Inputs: Equatable {
        var service: UInt64
        /// Its EndpointSlices' resource versions, by name.
        var slices: [String: UInt64]
    }

    struct Entry {
        var inputs: Inputs
        var clusters: [XDSModel.Cluster]
        var endpoints: [ClusterLoadAssignment]
    }

    /// The label naming a slice's Service (`discovery.k8s.io/v1` `LabelServiceName`).
    static let serviceNameLabel = "kubernetes.io/service-name"

    private(set) var entries: [ObjectKey: Entry] = [:]
    private(set) var clusters: [XDSModel.Cluster] = []
    private(set) var endpoints: [ClusterLoadAssignment] = []
    /// How many Services the last `update` generated again (for tests and profiles).
    private(set) var regenerated = 0

    /// Brings the cache up to `world`; returns whether clusters and endpoints changed.
    @discardableResult
    mutating func update(_ world: World) -> (clusters: Bool, endpoints: Bool) {
        var slices: [ObjectKey: [String: UInt64]] = [:]
        for key in world.keys(.endpointSlices) {
            guard let slice = world.get(key), let service = slice.labels[Self.serviceNameLabel], !service.isEmpty else { continue }
            slices[ObjectKey(.services, namespace: key.namespace, name: service), default: [:]][key.name] =
                slice.metadata.resourceVersion
        }
        var next: [ObjectKey: Entry] = [:]
        var changed = (clusters: false, endpoints: false)
        regenerated = 0
        for key in world.keys(.services) {
            guard let object = world.get(key) else { continue }
            let inputs = Inputs(service: object.metadata.resourceVersion, slices: slices[key] ?? [:])
            let old = entries[key]
            if let old, old.inputs == inputs {
                next[key] = old
                continue
            }
            regenerated += 1
            let service = ServiceView(object)
            let views = inputs.slices.keys.sorted().compactMap { name in
                world.get(ObjectKey(.endpointSlices, namespace: key.namespace, name: name)).map(EndpointSliceView.init)
            }
            let entry = Entry(
                inputs: inputs,
                clusters: old?.inputs.service == inputs.service ? old!.clusters : CDS.clusters(of: service),
                endpoints: EDS.assignments(of: service, slices: views))
            changed.clusters = changed.clusters || old?.clusters != entry.clusters
            changed.endpoints = changed.endpoints || old?.endpoints != entry.endpoints
            next[key] = entry
        }
        for (key, old) in entries where next[key] == nil {
            changed.clusters = changed.clusters || !old.clusters.isEmpty
            changed.endpoints = changed.endpoints || !old.endpoints.isEmpty
        }
        entries = next
        if changed.clusters { clusters = next.values.flatMap(\.clusters).sorted { $0.name < $1.name } }
        if changed.endpoints { endpoints = next.values.flatMap(\.endpoints).sorted { $0.clusterName < $1.clusterName } }
        return changed
    }
}
