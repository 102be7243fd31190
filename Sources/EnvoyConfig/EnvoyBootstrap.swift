import Foundation

/// A bootstrap for a real Envoy that gets its clusters and endpoints from an ADS server (such as
/// `XDSServer`), the way an Istio sidecar's bootstrap does: a static `xds-grpc` cluster (HTTP/2, the
/// server's loopback port, the istiod service host as endpoint hostname) and CDS through ADS.
///
/// No listeners, no health checks: Envoy never sends traffic to the endpoints it is given, which
/// are advertised pod IPs (data, not addresses to dial).
package struct EnvoyBootstrap: Sendable {
    package enum API: String, Sendable {
        case stateOfTheWorld = "GRPC"
        case delta = "DELTA_GRPC"
    }

    package var nodeID: String
    package var nodeCluster: String
    /// The ADS server's loopback port.
    package var xdsPort: Int
    /// The `xds-grpc` endpoint's hostname, e.g. `istiod.istio-system.svc`.
    package var xdsHostname: String
    /// Envoy's admin port on 127.0.0.1; 0 lets Envoy pick (read it with `--admin-address-path`).
    package var adminPort: Int
    package var api: API

    package init(
        nodeID: String = "sidecar~127.0.0.1~envoy.default~default.svc.cluster.local",
        nodeCluster: String = "envoy.default", xdsPort: Int,
        xdsHostname: String = "istiod.istio-system.svc", adminPort: Int = 0, api: API = .stateOfTheWorld
    ) {
        self.nodeID = nodeID
        self.nodeCluster = nodeCluster
        self.xdsPort = xdsPort
        self.xdsHostname = xdsHostname
        self.adminPort = adminPort
        self.api = api
    }

    /// The bootstrap as Envoy JSON (Envoy reads a `.json` file with `-c`).
    package func json() -> String {
        let bootstrap: [String: Any] = [
            "node": ["id": nodeID, "cluster": nodeCluster],
            "admin": ["address": Self.loopback(adminPort)],
            "dynamic_resources": [
                "ads_config": [
                    "api_type": api.rawValue,
                    "transport_api_version": "V3",
                    "grpc_services": [["envoy_grpc": ["cluster_name": "xds-grpc"]]],
                    "set_node_on_first_message_only": true,
                ],
                "cds_config": ["ads": [String: Any](), "resource_api_version": "V3"],
            ],
            "static_resources": [
                "clusters": [[
                    "name": "xds-grpc",
                    "type": "STATIC",
                    "connect_timeout": "1s",
                    "load_assignment": [
                        "cluster_name": "xds-grpc",
                        "endpoints": [["lb_endpoints": [[
                            "endpoint": ["address": Self.loopback(xdsPort), "hostname": xdsHostname],
                        ]]]],
                    ],
                    "typed_extension_protocol_options": [
                        "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": [
                            "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                            "explicit_http_config": ["http2_protocol_options": [String: Any]()],
                        ]
                    ],
                ]]
            ],
        ]
        let data = try! JSONSerialization.data(withJSONObject: bootstrap, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func loopback(_ port: Int) -> [String: Any] {
        ["socket_address": ["address": "127.0.0.1", "port_value": port]]
    }
}
