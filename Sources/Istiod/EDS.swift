import JSON
import Kubernetes
import KubeRuntime
import Istio
import XDSModel

/// istiod's endpoint generator: for every outbound cluster, the ready pods its Service selects,
/// at the port the Service targets. Pod IPs are data here: nothing ever dials them. Pure.
enum EDS {
    static func assignments(_ world: World) -> [ClusterLoadAssignment] {
        world.services().flatMap { service in
            let pods = world.endpoints(of: service).sorted { ($0.ip, $0.name) < ($1.ip, $1.name) }
            return service.ports.filter { $0.protocol == "TCP" }.map { port in
                let target = UInt32(clamping: port.targetPort ?? port.port)
                let endpoints = pods.map {
                    LbEndpoint(address: SocketAddress(address: $0.ip, portValue: target), healthStatus: .healthy)
                }
                return ClusterLoadAssignment(
                    clusterName: CDS.clusterName(port: port.port, service: service),
                    endpoints: endpoints.isEmpty ? [] : [LocalityLbEndpoints(lbEndpoints: endpoints)])
            }
        }
        .sorted { $0.clusterName < $1.clusterName }
    }
}
