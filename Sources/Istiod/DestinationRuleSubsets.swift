import Kubernetes
import XDSModel

/// The subsets of DestinationRules (`networking.istio.io`), as istiod turns them into clusters:
/// one EDS cluster per subset and Service port, `outbound|9080|v1|reviews.default.svc.cluster.local`
/// (`pilot/pkg/networking/core/v1alpha3/cluster_builder.go@1.20.0`, `buildSubsetCluster`; the name
/// from `model.BuildSubsetKey`), whose endpoints are the Service's endpoints on pods carrying the
/// subset's labels (`pilot/pkg/xds/endpoints/endpoint_builder.go@1.20.0`). A short `host` is a
/// Service in the rule's own namespace (`ResolveShortnameToFQDN`). Pure.
struct DestinationRuleSubsets: Equatable, Sendable {
    struct Subset: Equatable, Sendable {
        var host: String
        var name: String
        var labels: [String: String]
    }

    var subsets: [Subset]

    init(_ world: World) {
        var found: [Subset] = []
        let rules = world.objects.values
            .filter { $0.resource.group == "networking.istio.io" && $0.resource.plural == "destinationrules" }
            .sorted { $0.key < $1.key }
        for rule in rules {
            guard let host = rule.spec["host"]?.stringValue, !host.isEmpty else { continue }
            let fqdn = host.contains(".") ? host : "\(host).\(rule.namespace).svc.cluster.local"
            for subset in rule.spec["subsets"]?.arrayValue ?? [] {
                guard let name = subset["name"]?.stringValue, !name.isEmpty else { continue }
                found.append(Subset(host: fqdn, name: name, labels: subset["labels"]?.stringMap ?? [:]))
            }
        }
        subsets = found
    }

    static func clusterName(port: Int, subset: String, host: String) -> String { "outbound|\(port)|\(subset)|\(host)" }

    /// The subset clusters, shaped as the Service's own outbound clusters.
    func clusters(_ world: World, outbound: [XDSModel.Cluster]) -> [XDSModel.Cluster] {
        clusterAssignments(world).map { name, _ in
            XDSModel.Cluster(name: name, type: .eds, edsServiceName: name, connectTimeout: ProtoDuration(seconds: 10))
        }
    }

    /// The subset assignments: the Service port's endpoints on pods with the subset's labels.
    func assignments(_ world: World, outbound: [ClusterLoadAssignment]) -> [ClusterLoadAssignment] {
        guard !subsets.isEmpty else { return [] }
        let byName = Dictionary(outbound.map { ($0.clusterName, $0) }, uniquingKeysWith: { a, _ in a })
        var labelsByIP: [String: [String: String]] = [:]
        for pod in world.pods() where !pod.ip.isEmpty { labelsByIP[pod.ip] = pod.labels }
        return clusterAssignments(world).map { name, source in
            let (parent, labels) = source
            let endpoints = (byName[parent]?.endpoints ?? []).compactMap { locality -> LocalityLbEndpoints? in
                var kept = locality
                kept.lbEndpoints = locality.lbEndpoints.filter { e in
                    labels.allSatisfy { labelsByIP[e.address.address]?[$0.key] == $0.value }
                }
                return kept.lbEndpoints.isEmpty ? nil : kept
            }
            return ClusterLoadAssignment(clusterName: name, endpoints: endpoints)
        }
    }

    /// Each subset cluster's name with the Service cluster it filters and the subset's labels.
    private func clusterAssignments(_ world: World) -> [(String, (String, [String: String]))] {
        guard !subsets.isEmpty else { return [] }
        let services = Dictionary(world.services().map { ($0.hostname, $0) }, uniquingKeysWith: { a, _ in a })
        var out: [(String, (String, [String: String]))] = []
        for subset in subsets {
            guard let service = services[subset.host] else { continue }
            for port in service.ports where port.protocol == "TCP" {
                let name = Self.clusterName(port: port.port, subset: subset.name, host: subset.host)
                out.append((name, (CDS.clusterName(port: port.port, service: service), subset.labels)))
            }
        }
        var seen: Set<String> = []
        return out.filter { seen.insert($0.0).inserted }.sorted { $0.0 < $1.0 }
    }
}
