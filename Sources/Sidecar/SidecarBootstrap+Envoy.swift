import JSON
import XDSModel

extension SidecarBootstrap {
    /// The same bootstrap as a file a real Envoy runs with (`envoy -c FILE`), as `pilot-agent`
    /// writes `envoy-rev0.json` in an Istio pod: the node (id, cluster, the metadata istiod reads —
    /// `ISTIO_VERSION`, `NAMESPACE`, `NAME`, `LABELS`, …), CDS over ADS on the static `xds-grpc`
    /// cluster, and the admin listener on 127.0.0.1:`adminPort` (0: Envoy picks; read the port
    /// back with `--admin-address-path`).
    ///
    /// `xds-grpc` is STATIC on the loopback port with the revision's service host as the endpoint
    /// `hostname`: Envoy then shows `"hostname": "istiod-canary.istio-system.svc"` in its own
    /// `/clusters?format=json`, as a 1.6 sidecar does for its STRICT_DNS host (docs/istio-facts.md §2.1),
    /// without any name resolution. Pure; no I/O.
    /// The node metadata key marking a real Envoy (istiod's `ScopedResources` reads it).
    package static let realEnvoyMetadataKey = "XDSEMU_REAL_ENVOY"

    package func envoyJSON(adminPort: Int = 0) -> String {
        let node = self.node
        let loopback: (Int64) -> JSONValue = { port in
            .object(["socket_address": .object(["address": "127.0.0.1", "port_value": .int(port)])])
        }
        let xds: JSONValue = .object([
            "name": .string(Self.xdsClusterName),
            "type": "STATIC",
            "connect_timeout": "1s",
            "lb_policy": "ROUND_ROBIN",
            "load_assignment": .object([
                "cluster_name": .string(Self.xdsClusterName),
                "endpoints": [.object(["lb_endpoints": [.object([
                    "endpoint": .object([
                        "address": loopback(Int64(discovery.resolvedPort)), "hostname": .string(discovery.host),
                    ]),
                ])]])],
            ]),
            // Istio's bootstrap: HTTP/2 to istiod, circuit breakers raised to 100000.
            "circuit_breakers": .object(["thresholds": [.object([
                "priority": "HIGH", "max_connections": 100_000, "max_pending_requests": 100_000,
                "max_requests": 100_000,
            ])]]),
            "typed_extension_protocol_options": .object([
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": .object([
                    "@type": "type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
                    "explicit_http_config": .object(["http2_protocol_options": .object([:])]),
                ]),
            ]),
        ])
        // Tells istiod this proxy is a real Envoy sharing the machine: its listeners on 0.0.0.0
        // come with `bind_to_port: false` (Istio's would bind; nothing here may listen beyond loopback).
        var metadata = node.metadata
        metadata[Self.realEnvoyMetadataKey] = .string("true")
        let bootstrap: JSONValue = .object([
            "node": .object([
                "id": .string(node.id), "cluster": .string(node.cluster),
                "metadata": AdminView.metadata(.structure(metadata)),
            ]),
            "admin": .object(["address": loopback(Int64(adminPort))]),
            "dynamic_resources": .object([
                "ads_config": .object([
                    "api_type": "GRPC", "transport_api_version": "V3",
                    "grpc_services": [.object(["envoy_grpc": .object(["cluster_name": .string(Self.xdsClusterName)])])],
                ]),
                "cds_config": .object(["ads": .object([:]), "resource_api_version": "V3"]),
                // Listeners over ADS too, as Istio's bootstrap asks (`envoy_bootstrap.json`).
                "lds_config": .object(["ads": .object([:]), "resource_api_version": "V3"]),
            ]),
            "static_resources": .object(["clusters": [xds]]),
        ])
        return bootstrap.envoyAdminJSON
    }
}
