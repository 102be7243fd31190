/// One live istiod as `GET /xdsemu/v1/istiods` lists it: where its xDS server listens on
/// loopback. istioctl reads it where a real one would port-forward to an istiod pod.
package struct IstiodStatus: EmulatorListItem, Hashable {
    package static let listKind = "IstiodList"
    package static let path = "/xdsemu/v1/istiods"

    /// The revision name (`default`, `canary`).
    package var revision: String
    /// The Istio release (`1.6.0`).
    package var version: String
    /// The service host its proxies dial (`istiod-canary.istio-system.svc`).
    package var host: String
    /// `127.0.0.1:PORT`: where its xDS server listens.
    package var address: String
    /// The istiod pod it stands for.
    package var pod: String
    package var deployment: String
    package var namespace: String

    package init(
        revision: String, version: String, host: String, address: String, pod: String, deployment: String, namespace: String
    ) {
        self.revision = revision
        self.version = version
        self.host = host
        self.address = address
        self.pod = pod
        self.deployment = deployment
        self.namespace = namespace
    }
}
