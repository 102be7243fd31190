import JSON
import Kubernetes
import KubeRuntime
import Istio
import XDSModel

/// istiod's cluster generator, reduced to what the emulator serves: one outbound EDS cluster per
/// Service port, named as Istio names them (`outbound|9080||details.default.svc.cluster.local`,
/// `pilot/pkg/model/service.go:BuildSubsetKey`). Pure.
enum CDS {
    /// `outbound|PORT|SUBSET|HOST`.
    static func clusterName(port: Int, service: ServiceView) -> String { "outbound|\(port)||\(service.hostname)" }

    static func clusters(_ world: World) -> [XDSModel.Cluster] {
        world.services().flatMap(clusters(of:)).sorted { $0.name < $1.name }
    }

    /// One Service's clusters, unordered.
    static func clusters(of service: ServiceView) -> [XDSModel.Cluster] {
        service.ports.filter { $0.protocol == "TCP" }.map { port in
            let name = clusterName(port: port.port, service: service)
            // Istio's default connect timeout (MeshConfig.connectTimeout) is 10 s.
            return XDSModel.Cluster(
                name: name, type: .eds, edsServiceName: name, connectTimeout: ProtoDuration(seconds: 10),
                lbPolicy: .roundRobin)
        }
    }
}
