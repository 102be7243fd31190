import XDSModel

/// What the injector gives a proxy before it ever talks to istiod: who it is (the node) and where
/// its discovery server is (the static `xds-grpc` cluster). The values follow Istio 1.6's
/// `envoy_bootstrap_v2.json` and `pilot-agent` (docs/istio-facts.md §3).
///
/// Pure value; building one never does I/O. Pod IPs are data only: nothing ever dials them.
package struct SidecarBootstrap: Hashable, Sendable {
    /// The pod the proxy runs in, as the downward API shows it to `pilot-agent`.
    package struct Pod: Hashable, Sendable {
        package var name: String
        package var namespace: String
        /// The first pod IP (`INSTANCE_IPS`, and the second part of the node id). Never dialled.
        package var ip: String
        package var labels: [String: String]
        package var serviceAccount: String

        package init(name: String, namespace: String, ip: String, labels: [String: String] = [:],
                    serviceAccount: String = "default") {
            self.name = name
            self.namespace = namespace
            self.ip = ip
            self.labels = labels
            self.serviceAccount = serviceAccount
        }
    }

    /// Where the proxy finds its istiod: the name in the bootstrap, and the loopback port the
    /// emulator maps that name to (standing in for DNS + the Service ClusterIP).
    package struct DiscoveryAddress: Hashable, Sendable {
        /// The revision's service host, e.g. `istiod-canary.istio-system.svc`.
        package var host: String
        /// The port in the bootstrap: 15012 (Istio's default discoveryAddress).
        package var port: UInt32
        /// The loopback address actually dialled, and shown as the "resolved" host address.
        package var resolvedAddress: String
        package var resolvedPort: UInt32

        package init(host: String, port: UInt32 = 15012, resolvedAddress: String = "127.0.0.1", resolvedPort: UInt32) {
            self.host = host
            self.port = port
            self.resolvedAddress = resolvedAddress
            self.resolvedPort = resolvedPort
        }

        /// The gRPC target (`127.0.0.1:PORT`).
        package var target: String { "\(resolvedAddress):\(resolvedPort)" }

        /// `istiod[-REV].NAMESPACE.svc`, the host Istio's charts put in `discoveryAddress`
        /// (`templates/configmap.yaml`); `revision` nil or "default" is the unsuffixed istiod.
        package static func istiod(revision: String?, namespace: String = "istio-system", loopbackPort: UInt32)
            -> DiscoveryAddress
        {
            let suffix = (revision ?? "").isEmpty || revision == "default" ? "" : "-\(revision!)"
            return DiscoveryAddress(host: "istiod\(suffix).\(namespace).svc", resolvedPort: loopbackPort)
        }
    }

    /// `sidecar` for injected pods, `router` for gateways (the first part of the node id).
    package enum ProxyType: String, Hashable, Sendable {
        case sidecar, router
    }

    package var pod: Pod
    /// The proxy image's version (`ISTIO_META_ISTIO_VERSION`), not the istiod's (docs/istio-facts.md §3.3).
    package var istioVersion: String
    package var proxyType: ProxyType
    package var discovery: DiscoveryAddress
    /// `ISTIO_META_CLUSTER_ID`.
    package var clusterID: String
    /// Whether this proxy's Envoy talks xDS to `pilot-agent`'s local socket, which forwards to
    /// istiod, instead of dialling istiod itself: the proxy release decides (the caller asks the
    /// release table). Only what the admin view shows changes: the simulated proxy always dials
    /// `discovery.target` (the agent is not modelled).
    package var proxiesXDSThroughAgent: Bool

    package init(pod: Pod, istioVersion: String, discovery: DiscoveryAddress, proxyType: ProxyType = .sidecar,
                clusterID: String = "Kubernetes", xdsThroughAgent: Bool) {
        self.pod = pod
        self.istioVersion = istioVersion
        self.discovery = discovery
        self.proxyType = proxyType
        self.clusterID = clusterID
        self.proxiesXDSThroughAgent = xdsThroughAgent
    }

    /// `type~ip~pod.ns~ns.svc.cluster.local` (`ServiceNode()` in pilot/pkg/model/context.go).
    package var nodeID: String {
        [proxyType.rawValue, pod.ip, "\(pod.name).\(pod.namespace)", "\(pod.namespace).svc.cluster.local"]
            .joined(separator: "~")
    }

    /// `pod.namespace`: how istiod and istioctl name the proxy.
    package var proxyID: String { "\(pod.name).\(pod.namespace)" }

    /// `--serviceCluster`: `<app label>.<ns>` for sidecars, or `istio-proxy` without an app label.
    package var serviceCluster: String {
        if proxyType == .router { return pod.labels["istio"].map { "istio-\($0)" } ?? "istio-proxy" }
        return pod.labels["app"].map { "\($0).\(pod.namespace)" } ?? "istio-proxy"
    }

    /// The node sent on the first request of every ADS stream.
    package var node: Node {
        var labels: [String: MetadataValue] = [:]
        for (key, value) in pod.labels { labels[key] = .string(value) }
        let metadata: [String: MetadataValue] = [
            "ISTIO_VERSION": .string(istioVersion),
            "NAMESPACE": .string(pod.namespace),
            "CONFIG_NAMESPACE": .string(pod.namespace),
            "NAME": .string(pod.name),
            "LABELS": .structure(labels),
            "INSTANCE_IPS": .string(pod.ip),
            "SERVICE_ACCOUNT": .string(pod.serviceAccount),
            "CLUSTER_ID": .string(clusterID),
            "INTERCEPTION_MODE": .string("REDIRECT"),
        ]
        return Node(id: nodeID, cluster: serviceCluster, metadata: metadata, userAgentName: "envoy")
    }

    /// The name of the bootstrap's discovery cluster.
    package static let xdsClusterName = "xds-grpc"

    /// The socket through which Envoy reaches `pilot-agent` from Istio 1.8 (`PROXY_XDS_VIA_AGENT`).
    package static let agentXDSSocket = "./etc/istio/proxy/XDS"


    /// The static `xds-grpc` cluster as written in the bootstrap (docs/istio-facts.md §3.1): Istio 1.6/1.7's
    /// STRICT_DNS on the service host and port (HTTP/2, 1 s connect timeout); from 1.8 a STATIC
    /// cluster on the agent's socket. The model has no pipe address, so the socket is a
    /// path-shaped address with port 0, which the admin view prints as Envoy's `pipe`.
    package var xdsCluster: Cluster {
        let agent = proxiesXDSThroughAgent
        let address = agent
            ? SocketAddress(address: Self.agentXDSSocket, portValue: 0)
            : SocketAddress(address: discovery.host, portValue: discovery.port)
        return Cluster(
            name: Self.xdsClusterName, type: agent ? .static : .strictDNS, connectTimeout: ProtoDuration(seconds: 1),
            lbPolicy: .roundRobin,
            loadAssignment: ClusterLoadAssignment(
                clusterName: Self.xdsClusterName,
                endpoints: [LocalityLbEndpoints(lbEndpoints: [LbEndpoint(address: address)])]),
            http2: true)
    }

    /// `xds-grpc`'s live host. Before 1.8, the host "resolved" to the loopback address with the
    /// name kept as the endpoint hostname, as Envoy shows a STRICT_DNS host in `/clusters` and in
    /// the static endpoint config; from 1.8, the agent's socket, with no hostname.
    package var resolvedXDSAssignment: ClusterLoadAssignment {
        let endpoint = proxiesXDSThroughAgent
            ? LbEndpoint(
                address: SocketAddress(address: Self.agentXDSSocket, portValue: 0), healthStatus: .healthy,
                loadBalancingWeight: 1)
            : LbEndpoint(
                address: SocketAddress(address: discovery.resolvedAddress, portValue: discovery.resolvedPort),
                hostname: discovery.host, healthStatus: .healthy, loadBalancingWeight: 1)
        return ClusterLoadAssignment(
            clusterName: Self.xdsClusterName, endpoints: [LocalityLbEndpoints(lbEndpoints: [endpoint])])
    }
}
