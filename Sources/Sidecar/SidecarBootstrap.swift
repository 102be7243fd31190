import XDSModel

/// What the injector gives a proxy before it ever talks to istiod: who it is (the node) and where
/// its discovery server is (the static `xds-grpc` cluster). The values follow Istio 1.6's
/// `envoy_bootstrap_v2.json` and `pilot-agent` (istio-facts §3).
///
/// Pure value; building one never does I/O. Pod IPs are data only: nothing ever dials them.
public struct SidecarBootstrap: Hashable, Sendable {
    /// The pod the proxy runs in, as the downward API shows it to `pilot-agent`.
    public struct Pod: Hashable, Sendable {
        public var name: String
        public var namespace: String
        /// The first pod IP (`INSTANCE_IPS`, and the second part of the node id). Never dialled.
        public var ip: String
        public var labels: [String: String]
        public var serviceAccount: String

        public init(name: String, namespace: String, ip: String, labels: [String: String] = [:],
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
    public struct DiscoveryAddress: Hashable, Sendable {
        /// The revision's service host, e.g. `istiod-canary.istio-system.svc`.
        public var host: String
        /// The port in the bootstrap: 15012 (Istio's default discoveryAddress).
        public var port: UInt32
        /// The loopback address actually dialled, and shown as the "resolved" host address.
        public var resolvedAddress: String
        public var resolvedPort: UInt32

        public init(host: String, port: UInt32 = 15012, resolvedAddress: String = "127.0.0.1", resolvedPort: UInt32) {
            self.host = host
            self.port = port
            self.resolvedAddress = resolvedAddress
            self.resolvedPort = resolvedPort
        }

        /// The gRPC target (`127.0.0.1:PORT`).
        public var target: String { "\(resolvedAddress):\(resolvedPort)" }

        /// `istiod[-REV].NAMESPACE.svc`, the host Istio's charts put in `discoveryAddress`
        /// (`templates/configmap.yaml`); `revision` nil or "default" is the unsuffixed istiod.
        public static func istiod(revision: String?, namespace: String = "istio-system", loopbackPort: UInt32)
            -> DiscoveryAddress
        {
            let suffix = (revision ?? "").isEmpty || revision == "default" ? "" : "-\(revision!)"
            return DiscoveryAddress(host: "istiod\(suffix).\(namespace).svc", resolvedPort: loopbackPort)
        }
    }

    /// `sidecar` for injected pods, `router` for gateways (the first part of the node id).
    public enum ProxyType: String, Hashable, Sendable {
        case sidecar, router
    }

    public var pod: Pod
    /// The proxy image's version (`ISTIO_META_ISTIO_VERSION`), not the istiod's (istio-facts §3.3).
    public var istioVersion: String
    public var proxyType: ProxyType
    public var discovery: DiscoveryAddress
    /// `ISTIO_META_CLUSTER_ID`.
    public var clusterID: String

    public init(pod: Pod, istioVersion: String, discovery: DiscoveryAddress, proxyType: ProxyType = .sidecar,
                clusterID: String = "Kubernetes") {
        self.pod = pod
        self.istioVersion = istioVersion
        self.discovery = discovery
        self.proxyType = proxyType
        self.clusterID = clusterID
    }

    /// `type~ip~pod.ns~ns.svc.cluster.local` (`ServiceNode()` in pilot/pkg/model/context.go).
    public var nodeID: String {
        [proxyType.rawValue, pod.ip, "\(pod.name).\(pod.namespace)", "\(pod.namespace).svc.cluster.local"]
            .joined(separator: "~")
    }

    /// `pod.namespace`: how istiod and istioctl name the proxy.
    public var proxyID: String { "\(pod.name).\(pod.namespace)" }

    /// `--serviceCluster`: `<app label>.<ns>` for sidecars, or `istio-proxy` without an app label.
    public var serviceCluster: String {
        if proxyType == .router { return pod.labels["istio"].map { "istio-\($0)" } ?? "istio-proxy" }
        return pod.labels["app"].map { "\($0).\(pod.namespace)" } ?? "istio-proxy"
    }

    /// The node sent on the first request of every ADS stream.
    public var node: Node {
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
    public static let xdsClusterName = "xds-grpc"

    /// The static `xds-grpc` cluster as written in the bootstrap: STRICT_DNS on the service host
    /// and port, HTTP/2, 1 s connect timeout (Istio 1.6/1.7; from 1.8 Envoy reaches istiod through
    /// the agent's socket, which this emulator does not model — see the report in issue 3).
    public var xdsCluster: Cluster {
        Cluster(
            name: Self.xdsClusterName, type: .strictDNS, connectTimeout: ProtoDuration(seconds: 1),
            lbPolicy: .roundRobin,
            loadAssignment: ClusterLoadAssignment(
                clusterName: Self.xdsClusterName,
                endpoints: [
                    LocalityLbEndpoints(lbEndpoints: [
                        LbEndpoint(address: SocketAddress(address: discovery.host, portValue: discovery.port))
                    ])
                ]),
            http2: true)
    }

    /// `xds-grpc` after "DNS": the host resolved to the loopback address, with the name kept as
    /// the endpoint hostname, as Envoy shows a STRICT_DNS host in `/clusters` and in the static
    /// endpoint config.
    public var resolvedXDSAssignment: ClusterLoadAssignment {
        ClusterLoadAssignment(
            clusterName: Self.xdsClusterName,
            endpoints: [
                LocalityLbEndpoints(lbEndpoints: [
                    LbEndpoint(
                        address: SocketAddress(address: discovery.resolvedAddress, portValue: discovery.resolvedPort),
                        hostname: discovery.host, healthStatus: .healthy, loadBalancingWeight: 1)
                ])
            ])
    }
}
