/// One running proxy as `GET /xdsemu/v1/proxies` lists it, with its admin root. istioctl reads
/// it where a real one would exec `pilot-agent request GET …` in the pod's `istio-proxy`.
public struct ProxyStatus: EmulatorListItem, Hashable {
    public static let listKind = "ProxyList"
    public static let path = "/xdsemu/v1/proxies"

    public var namespace: String
    public var pod: String
    /// `sidecar` or `router` (a gateway).
    public var kind: String
    /// `simulated` or `envoy`.
    public var implementation: String
    public var istioVersion: String
    /// The istiod host from the pod's injection (`istiod.istio-system.svc`).
    public var discoveryHost: String
    /// `127.0.0.1:PORT`: the loopback address of the istiod it dials.
    public var discoveryAddress: String
    /// The pod's Envoy admin root: append `/clusters?format=json` as to `localhost:15000`.
    public var admin: String

    public init(
        namespace: String, pod: String, kind: String, implementation: String, istioVersion: String, discoveryHost: String,
        discoveryAddress: String, admin: String
    ) {
        self.namespace = namespace
        self.pod = pod
        self.kind = kind
        self.implementation = implementation
        self.istioVersion = istioVersion
        self.discoveryHost = discoveryHost
        self.discoveryAddress = discoveryAddress
        self.admin = admin
    }
}
