import JSON
import Kubernetes
import KubeRuntime
import Istio
import XDSModel

/// istiod's endpoint generator: for every outbound cluster, the ready endpoints of the Service's
/// EndpointSlices at the slice port with the Service port's name, as Istio's Kubernetes registry
/// builds them from EndpointSlices (`pilot/pkg/serviceregistry/kube/controller/endpointslice.go`).
/// It reads the same objects `kubectl get endpointslices` shows, so what proxies receive and what
/// the cluster says agree. Pod IPs are data here: nothing ever dials them. Pure.
enum EDS {
    static func assignments(_ world: World) -> [ClusterLoadAssignment] {
        let slicesByService = world.endpointSlicesByService()
        return world.services().flatMap { service in
            assignments(of: service, slices: slicesByService["\(service.namespace)/\(service.name)"] ?? [])
        }
        .sorted { $0.clusterName < $1.clusterName }
    }

    /// One Service's assignments from its slices (sorted by name), unordered.
    static func assignments(of service: ServiceView, slices: [EndpointSliceView]) -> [ClusterLoadAssignment] {
        service.ports.filter { $0.protocol == "TCP" }.map { port in
            var seen = Set<String>()
            var found: [(ip: String, pod: String, port: Int)] = []
            for slice in slices {
                guard let target = slice.ports.first(where: { $0.name == port.name && $0.protocol == port.protocol })?.port
                else { continue }
                for endpoint in slice.endpoints where endpoint.isReady {
                    for ip in endpoint.addresses where seen.insert("\(ip):\(target)").inserted {
                        found.append((ip, endpoint.podName ?? "", target))
                    }
                }
            }
            let endpoints = found.sorted { ($0.ip, $0.pod) < ($1.ip, $1.pod) }.map {
                LbEndpoint(address: SocketAddress(address: $0.ip, portValue: UInt32(clamping: $0.port)), healthStatus: .healthy)
            }
            return ClusterLoadAssignment(
                clusterName: CDS.clusterName(port: port.port, service: service),
                endpoints: endpoints.isEmpty ? [] : [LocalityLbEndpoints(lbEndpoints: endpoints)])
        }
    }
}
