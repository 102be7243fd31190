import JSON
import Kubernetes
import Istio
import XDSModel

/// What a proxy's listeners, routes and static clusters depend on besides the mesh's services:
/// its kind, its namespace (the short host names of its routes), its own inbound ports (a
/// sidecar), and the Gateway servers that select it (a gateway). istiod builds all of these per
/// proxy (`pilot/pkg/model/context.go@1.20.0`, `Proxy.SetServiceInstances` and
/// `SetGatewaysForProxy`); proxies with equal scopes get equal resources, so they share one view
/// of the push core (`ResourceViews`) and each resource is encoded once for all of them.
struct ProxyScope: Hashable, Sendable, Comparable {
    enum Kind: String, Hashable, Sendable { case sidecar, router }

    /// An inbound port of the pod (a container port) and the protocol istiod serves it with.
    struct InboundPort: Hashable, Sendable, Comparable {
        var port: Int
        var proto: PortProtocol
        static func < (a: Self, b: Self) -> Bool { a.port < b.port }
    }

    /// One HTTP server of a Gateway, bound to the listener port it gets on the gateway pod.
    struct GatewayServer: Hashable, Sendable, Comparable {
        /// The Gateway's `port.number` (the route name, `http.8080`).
        var number: Int
        /// The port the gateway pod listens on (the number, or the targetPort of the gateway
        /// Service port with that number).
        var listenerPort: Int
        static func < (a: Self, b: Self) -> Bool { (a.listenerPort, a.number) < (b.listenerPort, b.number) }
    }

    var kind: Kind
    var namespace: String
    var inbound: [InboundPort] = []
    var servers: [GatewayServer] = []

    /// The view name: equal scopes, equal names.
    var key: String {
        switch kind {
        case .sidecar:
            "sidecar|\(namespace)|" + inbound.map { "\($0.port)/\($0.proto.rawValue)" }.joined(separator: ",")
        case .router:
            "router|\(namespace)|" + servers.map { "\($0.number)>\($0.listenerPort)" }.joined(separator: ",")
        }
    }

    /// The view of the routes: a sidecar's routes depend only on its namespace; a gateway's on its servers.
    var routeKey: String { kind == .sidecar ? "sidecar|\(namespace)" : key }

    static func < (a: Self, b: Self) -> Bool { a.key < b.key }

    // MARK: From the world

    /// The scope of every pod with an Istio proxy, by `pod.namespace` (the node id's third part).
    static func all(in world: World) -> [String: ProxyScope] {
        // By namespace: a pod is only ever selected by the Services of its own namespace.
        let servicesByNamespace = Dictionary(grouping: world.services(), by: \.namespace)
        let gateways = world.objects.values.filter { $0.resource.group == "networking.istio.io" && $0.resource.plural == "gateways" }
        var scopes: [String: ProxyScope] = [:]
        for object in world.list(.pods) {
            guard let proxy = ProxyView(object) else { continue }
            let pod = proxy.pod
            let selecting = (servicesByNamespace[pod.namespace] ?? []).filter { s in
                s.selector.map { !$0.isEmpty && $0.allSatisfy { pod.labels[$0.key] == $0.value } } == true
            }
            var scope = ProxyScope(kind: proxy.kind == .router ? .router : .sidecar, namespace: pod.namespace)
            switch scope.kind {
            case .sidecar: scope.inbound = inboundPorts(object, selectedBy: selecting)
            case .router: scope.servers = gatewayServers(gateways, pod: pod, selectedBy: selecting)
            }
            scopes[proxy.id] = scope
        }
        return scopes
    }

    /// The pod's container ports (the injected proxy's own excluded), each with the protocol of the
    /// Service port that targets it, else of its own name (istiod builds inbound chains from the
    /// service instances, `pilot/pkg/networking/core/v1alpha3/listener_builder.go@1.20.0`).
    static func inboundPorts(_ pod: KubeObject, selectedBy services: [ServiceView]) -> [InboundPort] {
        var ports: [Int: PortProtocol] = [:]
        for container in pod.spec["containers"]?.arrayValue ?? [] where container["name"]?.stringValue != "istio-proxy" {
            for p in container["ports"]?.arrayValue ?? [] {
                guard let number = p["containerPort"]?.intValue.map(Int.init),
                    (p["protocol"]?.stringValue ?? "TCP") == "TCP"
                else { continue }
                let servicePort = services.lazy.flatMap(\.ports).first { ($0.targetPort ?? $0.port) == number && $0.protocol == "TCP" }
                ports[number] = PortProtocol(portName: servicePort?.name ?? p["name"]?.stringValue ?? "")
            }
        }
        return ports.map { InboundPort(port: $0.key, proto: $0.value) }.sorted()
    }

    /// The HTTP servers of the Gateways whose `selector` matches the pod's labels (in any
    /// namespace, istiod's default, `pilot/pkg/model/push_context.go@1.20.0` `gatewayWithInstances`).
    /// HTTPS and TLS servers need certificates this emulator does not serve; TCP servers get a
    /// listener only with routes from a VirtualService. Both are left out.
    static func gatewayServers(_ gateways: [KubeObject], pod: PodView, selectedBy services: [ServiceView]) -> [GatewayServer] {
        var servers: Set<GatewayServer> = []
        for gateway in gateways {
            guard let selector = gateway.spec["selector"]?.stringMap,
                selector.allSatisfy({ pod.labels[$0.key] == $0.value })
            else { continue }
            for server in gateway.spec["servers"]?.arrayValue ?? [] {
                guard let number = server["port"]?["number"]?.intValue.map(Int.init),
                    PortProtocol(portName: server["port"]?["protocol"]?.stringValue ?? "").isHTTP
                else { continue }
                // A server port is the gateway Service's port: the pod listens on its targetPort
                // (`pilot/pkg/networking/core/v1alpha3/gateway.go@1.20.0`, `buildGatewayListeners`).
                let target = services.lazy.flatMap(\.ports).first { $0.port == number }?.targetPort ?? number
                servers.insert(GatewayServer(number: number, listenerPort: target))
            }
        }
        return servers.sorted()
    }
}

/// The protocol istiod serves a port with, from its name's prefix (`name` or `name-suffix`), as
/// `pkg/config/kube/conversion.go@1.20.0` `ConvertProtocol` and `pkg/config/protocol/instance.go`
/// `Parse` decide it. An unknown name means protocol sniffing (`auto`).
enum PortProtocol: String, Hashable, Sendable {
    case http, tcp, auto

    init(portName: String) {
        let prefix = portName.lowercased().split(separator: "-", maxSplits: 1).first.map(String.init) ?? ""
        switch prefix {
        case "http", "http2", "grpc", "grpc-web": self = .http
        case "tcp", "https", "tls", "mongo", "mysql", "redis", "thrift": self = .tcp
        default: self = portName.lowercased().hasPrefix("grpc-web") ? .http : .auto
        }
    }

    var isHTTP: Bool { self == .http }
    var carriesHTTP: Bool { self != .tcp }
}
