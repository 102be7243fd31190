@testable import Istiod
import JSON
import Kubernetes
import KubeRuntime
import Istio
import PushCore
import Testing
import XDSModel

/// istiod's listener, route and per-proxy cluster rules on the default (bookinfo) world:
/// names, domains and protocols as `pilot/pkg/networking/core/v1alpha3/*.go@1.20.0` builds them.
struct ListenerGeneratorTests {
    static let world = World.defaultWorld(config: WorldConfig(seed: 42), now: IstiodTests.now, istio: .v1_5_4)

    static func service(_ name: String, namespace: String = "default", ip: String = "10.96.0.7",
                        ports: [(String, Int)]) -> ServiceView {
        let spec: JSONValue = .object([
            "clusterIP": .string(ip),
            "ports": .array(ports.map { .object(["name": .string($0.0), "port": .int(Int64($0.1))]) }),
        ])
        return ServiceView(KubeObject(
            resource: .services, metadata: ObjectMeta(name: name, namespace: namespace), body: ["spec": spec]))
    }

    static func scope(_ pod: String) throws -> ProxyScope {
        let scopes = ProxyScope.all(in: world)
        return try #require(scopes.first { $0.key.hasPrefix(pod) }?.value)
    }

    @Test(arguments: [
        ("http", PortProtocol.http), ("http-web", .http), ("grpc", .http), ("http2", .http), ("grpc-web", .http),
        ("tcp", .tcp), ("mongo-db", .tcp), ("https", .tcp), ("", .auto), ("web", .auto), ("HTTP", .http),
    ])
    func portProtocolFromItsName(_ name: String, _ expected: PortProtocol) {
        #expect(PortProtocol(portName: name) == expected)
    }

    @Test func bookinfoSidecarsSeeTheirOwnPortsInbound() throws {
        let details = try Self.scope("details-v1-")
        #expect(details.kind == .sidecar && details.namespace == "default")
        #expect(details.inbound == [ProxyScope.InboundPort(port: 9080, proto: .http)], "the Service port named http targets 9080")
        #expect(details.key == "sidecar|default|9080/http")
        let gateway = try Self.scope("istio-ingressgateway-")
        #expect(gateway.kind == .router && gateway.servers.isEmpty, "no Gateway object: no servers")
    }

    @Test func sidecarListenersFollowIstiosNames() throws {
        let services = [
            Self.service("details", ports: [("http", 9080)]),
            Self.service("ratings", ip: "10.96.0.8", ports: [("http", 9080)]),
            Self.service("db", ip: "10.96.0.9", ports: [("tcp-db", 27017)]),
            Self.service("web", ip: "10.96.0.10", ports: [("web", 8000)]),
        ]
        let scope = ProxyScope(kind: .sidecar, namespace: "default", inbound: [.init(port: 9080, proto: .http), .init(port: 5000, proto: .tcp)])
        let listeners = LDS.listeners(scope, services: services)
        #expect(listeners.map(\.name) == ["0.0.0.0_8000", "0.0.0.0_9080", "10.96.0.9_27017", "virtualInbound", "virtualOutbound"])
        let http = try #require(listeners.first { $0.name == "0.0.0.0_9080" })
        #expect(http.routeConfigNames == ["9080"], "one listener per port, whatever the number of services")
        #expect(http.bindToPort == false && http.trafficDirection == .outbound)
        #expect(http.defaultFilterChain?.filters == [.tcpProxy(TcpProxy(statPrefix: "PassthroughCluster", cluster: "PassthroughCluster"))])
        let tcp = try #require(listeners.first { $0.name == "10.96.0.9_27017" })
        #expect(tcp.filterChains.flatMap(\.filters) == [
            .tcpProxy(TcpProxy(statPrefix: "outbound|27017||db.default.svc.cluster.local", cluster: "outbound|27017||db.default.svc.cluster.local"))
        ])
        let sniffed = try #require(listeners.first { $0.name == "0.0.0.0_8000" })
        #expect(sniffed.routeConfigNames == ["8000"] && sniffed.filterChains.count == 2, "a sniffed port: HTTP and TCP chains")
        let outbound = try #require(listeners.first { $0.name == "virtualOutbound" })
        #expect(outbound.address.portValue == 15001 && outbound.useOriginalDst == true && outbound.bindToPort == nil)
        let inbound = try #require(listeners.first { $0.name == "virtualInbound" })
        #expect(inbound.address.portValue == 15006)
        let ports = inbound.filterChains.compactMap { $0.match?.destinationPort }
        #expect(ports == [15006, 9080, 5000], "the blackhole chain, then the pod's own ports")
        let inboundHTTP = try #require(inbound.filterChains.first { $0.match?.destinationPort == 9080 })
        guard case .httpConnectionManager(let hcm)? = inboundHTTP.filters.first, case .inline(let route) = hcm.routeSpecifier else {
            Issue.record("inbound HTTP chain has no inline route")
            return
        }
        #expect(route.virtualHosts.first?.routes.first?.cluster == "inbound|9080||")
    }

    @Test func realEnvoysBindNothingOfASidecarsOrAGatewaysListeners() {
        let sidecar = LDS.listeners(
            ProxyScope(kind: .sidecar, namespace: "default"), services: [Self.service("details", ports: [("http", 9080)])])
        let gateway = LDS.listeners(
            ProxyScope(kind: .router, namespace: "istio-system", servers: [.init(number: 8080, listenerPort: 8080)]), services: [])
        let istios = sidecar + gateway
        // Istio binds virtualOutbound, virtualInbound and the gateway's port (bind_to_port unset).
        #expect(Set(istios.filter { $0.bindToPort == nil }.map(\.name)) == ["virtualOutbound", "virtualInbound", "0.0.0.0_8080"])
        let served = istios.map(RealEnvoyListeners.served)
        #expect(served.allSatisfy { $0.bindToPort == false })
        #expect(served.map(\.address) == istios.map(\.address), "addresses stay Istio's")
    }

    @Test func routesHaveAHostPerServiceWithTheShortNamesOfTheProxysNamespace() throws {
        let services = [
            Self.service("details", ports: [("http", 9080)]),
            Self.service("ratings", namespace: "other", ip: "10.96.0.8", ports: [("http", 9080)]),
            Self.service("db", ip: "10.96.0.9", ports: [("tcp", 27017)]),
        ]
        let routes = RDS.routes(ProxyScope(kind: .sidecar, namespace: "default"), services: services)
        #expect(routes.map(\.name) == ["9080"], "TCP ports have no routes")
        let hosts = routes[0].virtualHosts
        #expect(hosts.map(\.name) == [
            "details.default.svc.cluster.local:9080", "ratings.other.svc.cluster.local:9080", "allow_any",
        ])
        #expect(hosts[0].domains == [
            "details.default.svc.cluster.local", "details", "details.default.svc", "details.default", "10.96.0.7",
        ])
        #expect(hosts[1].domains == [
            "ratings.other.svc.cluster.local", "ratings.other", "ratings.other.svc", "10.96.0.8",
        ])
        #expect(hosts[0].routes == [Route(
            name: "default", match: .prefix("/"), cluster: "outbound|9080||details.default.svc.cluster.local",
            timeout: ProtoDuration(seconds: 0), operation: "details.default.svc.cluster.local:9080/*")])
        #expect(hosts[2].routes.map(\.cluster) == ["PassthroughCluster"])
    }

    @Test func gatewaysGetAListenerAndABlackholeRoutePerHTTPServer() {
        let scope = ProxyScope(kind: .router, namespace: "istio-system", servers: [.init(number: 8080, listenerPort: 8080)])
        let listeners = LDS.listeners(scope, services: [])
        #expect(listeners.map(\.name) == ["0.0.0.0_8080"])
        #expect(listeners[0].routeConfigNames == ["http.8080"])
        let routes = RDS.routes(scope, services: [])
        #expect(routes.map(\.name) == ["http.8080"])
        #expect(routes[0].virtualHosts.map(\.name) == ["blackhole:8080"] && routes[0].virtualHosts[0].routes.isEmpty)
    }

    @Test func gatewayServersComeFromSelectingGatewaysAndMapToTargetPorts() throws {
        let pod = try #require(Self.world.pods(in: "istio-system").first { $0.name.hasPrefix("istio-ingressgateway-") })
        let gateway = KubeObject(
            resource: ResourceType(group: "networking.istio.io", version: "v1beta1", plural: "gateways", singular: "gateway",
                                   kind: "Gateway", namespaced: true),
            metadata: ObjectMeta(name: "bookinfo-gateway", namespace: "default"),
            body: ["spec": [
                "selector": ["istio": "ingressgateway"],
                "servers": [
                    ["port": ["number": 80, "name": "http", "protocol": "HTTP"], "hosts": ["*"]],
                    ["port": ["number": 443, "name": "https", "protocol": "HTTPS"], "hosts": ["*"]],
                ],
            ]])
        let services = Self.world.services(in: "istio-system").filter { $0.name == "istio-ingressgateway" }
        let servers = ProxyScope.gatewayServers([gateway], pod: pod, selectedBy: services)
        let target = services.first?.ports.first { $0.port == 80 }?.targetPort ?? 80
        #expect(servers == [ProxyScope.GatewayServer(number: 80, listenerPort: target)], "HTTPS needs certificates: left out")
        let other = KubeObject(resource: gateway.resource, metadata: ObjectMeta(name: "x", namespace: "default"),
                               body: ["spec": ["selector": ["istio": "egressgateway"], "servers": [["port": ["number": 80, "protocol": "HTTP"]]]]])
        #expect(ProxyScope.gatewayServers([other], pod: pod, selectedBy: services).isEmpty, "a Gateway for other pods")
    }

    @Test func sidecarClustersAddTheStaticAndInboundClusters() {
        let scope = ProxyScope(kind: .sidecar, namespace: "default", inbound: [.init(port: 9080, proto: .http)])
        let clusters = CDS.clusters(scope, outbound: [])
        #expect(clusters.map(\.name) == ["BlackHoleCluster", "InboundPassthroughClusterIpv4", "PassthroughCluster", "inbound|9080||"])
        #expect(clusters.first { $0.name == "BlackHoleCluster" }?.type == .static)
        #expect(clusters.filter { $0.name != "BlackHoleCluster" }.allSatisfy { $0.type == .originalDestination && $0.lbPolicy == .clusterProvided })
        #expect(CDS.clusters(ProxyScope(kind: .router, namespace: "istio-system"), outbound: []).map(\.name) == ["BlackHoleCluster"])
    }

    @Test func proxiesWithEqualScopesShareAViewAndUnknownOnesGetTheBareOne() throws {
        let resources = ScopedResources(world: Self.world, outboundClusters: CDS.clusters(Self.world))
        let views = resources.listenerViews
        let pods = Self.world.pods(in: "default").filter { $0.name.hasPrefix("reviews-") }
        #expect(pods.count == 3)
        let keys = Set(pods.map { views.viewOf(Node(id: "sidecar~\($0.ip)~\($0.name).default~default.svc.cluster.local")) })
        #expect(keys.count == 1, "reviews v1, v2, v3 have the same ports: one view")
        let unknown = views.viewOf(Node(id: "sidecar~10.0.0.1~nobody.default~default.svc.cluster.local"))
        #expect(unknown == "sidecar||" && views.resources[unknown] != nil)
        let real = views.viewOf(Node(id: "sidecar~10.0.0.1~nobody.default~default.svc.cluster.local",
                                     metadata: ["XDSEMU_REAL_ENVOY": .string("true")]))
        #expect(real == "sidecar||~real" && views.resources[real] != nil)
    }
}
