import Kubernetes
import XDSModel

/// The clusters of one proxy scope: the outbound EDS clusters every proxy shares, plus the
/// clusters istiod adds per proxy (`pilot/pkg/networking/core/v1alpha3/cluster.go@1.20.0`,
/// `buildOutboundClusters` / `buildInboundClusters`; names from `pilot/pkg/networking/util/util.go`):
/// `BlackHoleCluster` (STATIC, no hosts) for every proxy, and for a sidecar `PassthroughCluster`,
/// `InboundPassthroughClusterIpv4` and one `inbound|PORT||` per inbound port, all ORIGINAL_DST
/// (the connection's own destination; nothing here ever dials them).
extension CDS {
    /// `inbound|PORT||` (the service-less inbound key of 1.10+, `model.BuildInboundSubsetKey`).
    static func inboundClusterName(port: Int) -> String { "inbound|\(port)||" }

    static func clusters(_ scope: ProxyScope, outbound: [XDSModel.Cluster]) -> [XDSModel.Cluster] {
        var clusters = outbound
        clusters.append(XDSModel.Cluster(name: LDS.blackHoleCluster, type: .static))
        if scope.kind == .sidecar {
            clusters.append(originalDestination(LDS.passthroughCluster))
            clusters.append(originalDestination(LDS.inboundPassthroughCluster))
            for inbound in scope.inbound { clusters.append(originalDestination(inboundClusterName(port: inbound.port))) }
        }
        return clusters.sorted { $0.name < $1.name }
    }

    /// An ORIGINAL_DST cluster: Envoy requires CLUSTER_PROVIDED with it.
    static func originalDestination(_ name: String) -> XDSModel.Cluster {
        XDSModel.Cluster(name: name, type: .originalDestination, lbPolicy: .clusterProvided)
    }
}
