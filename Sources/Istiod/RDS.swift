import Kubernetes
import XDSModel

/// istiod's route generator for one proxy scope (`pilot/pkg/networking/core/v1alpha3/
/// httproute.go@1.20.0`). Pure.
///
/// A sidecar gets one route configuration per HTTP (or sniffed) Service port, named by the port
/// (`9080`), with one virtual host per service on that port (`details.default.svc.cluster.local:9080`)
/// whose domains are the host and the short names Istio adds (`generateVirtualHostDomains`:
/// `details`, `details.default.svc`, `details.default` for the proxy's own namespace;
/// `details.default`, `details.default.svc` for others; then the ClusterIP). Sidecars match
/// hosts without their port (`SidecarIgnorePort`), so no `:PORT` variants. A default route sends
/// `/` to `outbound|PORT||HOST` with the timeout disabled, and the `allow_any` host sends
/// everything else to `PassthroughCluster` (REGISTRY_ONLY is not emulated).
///
/// A gateway gets `http.NUMBER` per HTTP server port; without a VirtualService bound to it
/// (not emulated) its one virtual host `blackhole:NUMBER` has no routes, and Envoy answers 404.
enum RDS {
    static func gatewayRouteName(number: Int) -> String { "http.\(number)" }

    static func routes(_ scope: ProxyScope, services: [ServiceView]) -> [RouteConfiguration] {
        switch scope.kind {
        case .sidecar: return sidecar(namespace: scope.namespace, services: services)
        case .router:
            return Set(scope.servers.map(\.number)).sorted().map { number in
                RouteConfiguration(
                    name: gatewayRouteName(number: number),
                    virtualHosts: [VirtualHost(name: "blackhole:\(number)", domains: ["*"], routes: [])],
                    validateClusters: false)
            }
        }
    }

    static func sidecar(namespace: String, services: [ServiceView]) -> [RouteConfiguration] {
        var hostsByPort: [Int: [VirtualHost]] = [:]
        for service in services {
            for port in service.ports where port.protocol == "TCP" && PortProtocol(portName: port.name).carriesHTTP {
                let cluster = CDS.clusterName(port: port.port, service: service)
                let name = "\(service.hostname):\(port.port)"
                hostsByPort[port.port, default: []].append(VirtualHost(
                    name: name, domains: domains(service, proxyNamespace: namespace),
                    routes: [Route(
                        name: "default", match: .prefix("/"), cluster: cluster, timeout: ProtoDuration(seconds: 0),
                        operation: "\(name)/*")]))
            }
        }
        let allowAny = VirtualHost(
            name: "allow_any", domains: ["*"],
            routes: [Route(name: "allow_any", match: .prefix("/"), cluster: LDS.passthroughCluster,
                           timeout: ProtoDuration(seconds: 0))])
        return hostsByPort.keys.sorted().map { port in
            RouteConfiguration(
                name: String(port), virtualHosts: hostsByPort[port]!.sorted { $0.name < $1.name } + [allowAny],
                validateClusters: false)
        }
    }

    /// `generateVirtualHostDomains` for a sidecar (port ignored): the host, its short names as
    /// seen from `proxyNamespace`, then the ClusterIP.
    static func domains(_ service: ServiceView, proxyNamespace: String) -> [String] {
        let withNamespace = "\(service.name).\(service.namespace)"
        var domains = [service.hostname]
        if service.namespace == proxyNamespace {
            domains += [service.name, "\(withNamespace).svc", withNamespace]
        } else {
            domains += [withNamespace, "\(withNamespace).svc"]
        }
        if !service.clusterIP.isEmpty && service.clusterIP != "None" { domains.append(service.clusterIP) }
        return domains
    }
}
