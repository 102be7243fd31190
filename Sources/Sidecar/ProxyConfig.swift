import Foundation
import XDSModel

/// Exactly what a proxy accepted from its control plane: every cluster and endpoint assignment,
/// each with the `version_info` of the response that last changed it and when, as Envoy's
/// `config_dump` reports them. Rejected responses never touch it.
///
/// Pure value; the ADS exchange is its only writer.
package struct ProxyConfig: Hashable, Sendable {
    /// A cluster as accepted over CDS (`ClustersConfigDump.DynamicCluster`).
    package struct HeldCluster: Hashable, Sendable {
        package var cluster: Cluster
        package var versionInfo: ResourceVersion
        package var lastUpdated: Date
    }

    /// An assignment as accepted over EDS (`EndpointsConfigDump.DynamicEndpointConfig`).
    package struct HeldAssignment: Hashable, Sendable {
        package var assignment: ClusterLoadAssignment
        package var versionInfo: ResourceVersion
        package var lastUpdated: Date
    }

    /// Dynamic clusters by name.
    package internal(set) var clusters: [String: HeldCluster] = [:]
    /// Assignments by EDS service name (the cluster name unless `eds_cluster_config.service_name`).
    package internal(set) var endpoints: [String: HeldAssignment] = [:]
    /// The `version_info` of the last accepted CDS response (`ClustersConfigDump.version_info`).
    package internal(set) var clustersVersion: ResourceVersion = .none
    /// The `version_info` of the last accepted EDS response.
    package internal(set) var endpointsVersion: ResourceVersion = .none
    /// Dynamic listeners and route configurations by name (`ProxyConfig+Listeners.swift`).
    package internal(set) var listeners: [String: HeldListener] = [:]
    package internal(set) var routes: [String: HeldRoute] = [:]
    package internal(set) var listenersVersion: ResourceVersion = .none
    package internal(set) var routesVersion: ResourceVersion = .none

    package init() {}

    /// The EDS resource name a cluster's endpoints travel under.
    package static func edsName(of cluster: Cluster) -> String {
        cluster.edsServiceName.isEmpty ? cluster.name : cluster.edsServiceName
    }

    /// The EDS names this proxy must subscribe to: one per EDS cluster, sorted. Kept with the
    /// clusters: every EDS response and ACK reads them, and a mesh of 1,000 Services made
    /// recomputing them per response a large share of each proxy's work.
    package private(set) var edsNames: [String] = []
    private var edsNameSet: Set<String> = []

    /// The hosts of a dynamic cluster: its EDS assignment, or its inline `load_assignment`.
    package func assignment(forCluster name: String) -> ClusterLoadAssignment? {
        guard let held = clusters[name] else { return nil }
        if held.cluster.type == .eds { return endpoints[Self.edsName(of: held.cluster)]?.assignment }
        return held.cluster.loadAssignment
    }

    /// Replaces the clusters with an accepted CDS response. A cluster whose value did not change
    /// keeps its version and time (Envoy skips unchanged clusters by hash). Assignments no EDS
    /// cluster needs any more are dropped, as Envoy drops them with their cluster.
    mutating func acceptClusters(_ accepted: [Cluster], version: ResourceVersion, at now: Date) {
        clusters = Self.replacing(clusters, with: accepted, name: \.name, value: \.cluster) {
            HeldCluster(cluster: $0, versionInfo: version, lastUpdated: now)
        }
        clustersVersion = version
        edsNameSet = Set(clusters.values.filter { $0.cluster.type == .eds }.map { Self.edsName(of: $0.cluster) })
        edsNames = edsNameSet.sorted()
        endpoints = endpoints.filter { edsNameSet.contains($0.key) }
    }

    /// Stores accepted assignments. State-of-the-world EDS responses may carry only some of the
    /// subscribed names (istiod sends what changed): absent names keep what they had. Names this
    /// proxy did not ask for are ignored, as Envoy ignores resources nobody watches.
    mutating func acceptAssignments(_ accepted: [ClusterLoadAssignment], version: ResourceVersion, at now: Date) {
        Self.merge(accepted, into: &endpoints, wanted: edsNameSet, name: \.clusterName, value: \.assignment) {
            HeldAssignment(assignment: $0, versionInfo: version, lastUpdated: now)
        }
        endpointsVersion = version
    }

    /// The whole-set rule (CDS, LDS): `accepted` replaces everything; a value that did not change
    /// keeps what was held for it (its version and time).
    static func replacing<Value: Equatable, Held>(
        _ held: [String: Held], with accepted: [Value], name: (Value) -> String, value: (Held) -> Value,
        hold: (Value) -> Held
    ) -> [String: Held] {
        var next: [String: Held] = [:]
        for v in accepted {
            if let old = held[name(v)], value(old) == v { next[name(v)] = old } else { next[name(v)] = hold(v) }
        }
        return next
    }

    /// The by-name rule (EDS, RDS): a response may carry only some names; absent ones keep what
    /// they had, unchanged ones too, and names not `wanted` are ignored.
    static func merge<Value: Equatable, Held>(
        _ accepted: [Value], into held: inout [String: Held], wanted: Set<String>, name: (Value) -> String,
        value: (Held) -> Value, hold: (Value) -> Held
    ) {
        for v in accepted where wanted.contains(name(v)) {
            if let old = held[name(v)], value(old) == v { continue }
            held[name(v)] = hold(v)
        }
    }
}
