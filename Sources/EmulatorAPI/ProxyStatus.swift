/// One running proxy as `GET /xdsemu/v1/proxies` lists it, with its admin root. istioctl reads
/// it where a real one would exec `pilot-agent request GET …` in the pod's `istio-proxy`.
package struct ProxyStatus: EmulatorListItem, Hashable {
    package static let listKind = "ProxyList"
    package static let path = "/xdsemu/v1/proxies"

    package var namespace: String
    package var pod: String
    /// `sidecar` or `router` (a gateway).
    package var kind: String
    /// `simulated` or `envoy`.
    package var implementation: String
    package var istioVersion: String
    /// The istiod host from the pod's injection (`istiod.istio-system.svc`).
    package var discoveryHost: String
    /// `127.0.0.1:PORT`: the loopback address of the istiod it dials.
    package var discoveryAddress: String
    /// The pod's Envoy admin root: append `/clusters?format=json` as to `localhost:15000`.
    package var admin: String

    package init(
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
