import JSON
import XDSModel

extension AdminView {
    /// `/config_dump`: `{"configs": [Bootstrap, Clusters, (Endpoints), Listeners, (ScopedRoutes,
    /// Routes), Secrets]}`; Envoy has the route sections once an HTTP connection manager exists.
    /// Listeners and routes: `AdminView+Listeners.swift`.
    ///
    /// As in Envoy, the `EndpointsConfigDump` is only included with `?include_eds`
    /// (`includeEndpoints`). Unlike Envoy 1.40, which leaves them empty for EDS, each dynamic
    /// endpoint config carries the `version_info` and `last_updated` the proto defines, so the
    /// versions the proxy holds can be read back.
    package static func configDump(_ snapshot: SidecarSnapshot, includeEndpoints: Bool = false) -> JSONValue {
        var configs = [bootstrapDump(snapshot), clustersDump(snapshot)]
        if includeEndpoints { configs.append(endpointsDump(snapshot)) }
        configs.append(listenersDump(snapshot))
        if snapshot.config.listeners.values.contains(where: { $0.listener.hasHTTPConnectionManager }) {
            configs.append(.object(["@type": .string(scopedRoutesDumpTypeName)]))
            configs.append(routesDump(snapshot))
        }
        configs.append(.object(["@type": .string(TypeName.secretsDump)]))
        return .object(["configs": .array(configs)])
    }

    // MARK: Bootstrap

    /// `BootstrapConfigDump`: node, the static `xds-grpc` cluster, ADS as the CDS source, admin.
    package static func bootstrapDump(_ snapshot: SidecarSnapshot) -> JSONValue {
        let bootstrap = snapshot.bootstrap
        let grpcService: JSONValue = .object(["envoy_grpc": .object(["cluster_name": .string(SidecarBootstrap.xdsClusterName)])])
        let ads: JSONValue = .object(["ads": .object([:]), "resource_api_version": "V3"])
        let body: JSONValue = .object([
            "node": node(bootstrap),
            "static_resources": .object(["clusters": [cluster(bootstrap.xdsCluster, bootstrapCluster: true)]]),
            "dynamic_resources": .object([
                "cds_config": ads,
                "ads_config": .object([
                    "api_type": "GRPC", "grpc_services": [grpcService], "transport_api_version": "V3",
                ]),
            ]),
            "admin": .object(["address": address(SocketAddress(address: "127.0.0.1", portValue: UInt32(envoyAdminPort)))]),
        ])
        return .object([
            "@type": .string(TypeName.bootstrapDump), "bootstrap": body,
            "last_updated": .string(timestamp(snapshot.startedAt)),
        ])
    }

    /// The node as Envoy echoes it: id, cluster, metadata, then its own user agent and build.
    static func node(_ bootstrap: SidecarBootstrap) -> JSONValue {
        let node = bootstrap.node
        let envoy = EnvoyBuild(istioVersion: bootstrap.istioVersion)
        return .object([
            "id": .string(node.id),
            "cluster": .string(node.cluster),
            "metadata": metadata(.structure(node.metadata)),
            "user_agent_name": "envoy",
            "user_agent_build_version": envoy.buildVersion,
        ])
    }

    // MARK: Clusters

    /// `ClustersConfigDump`: the bootstrap cluster as static, the CDS clusters as dynamic active,
    /// each with the version of the response that last changed it.
    package static func clustersDump(_ snapshot: SidecarSnapshot) -> JSONValue {
        var fields: JSONObject = ["@type": .string(TypeName.clustersDump)]
        if snapshot.config.clustersVersion != .none {
            fields["version_info"] = .string(snapshot.config.clustersVersion.rawValue)
        }
        fields["static_clusters"] = [
            .object([
                "cluster": cluster(snapshot.bootstrap.xdsCluster, bootstrapCluster: true, typed: true),
                "last_updated": .string(timestamp(snapshot.startedAt)),
            ])
        ]
        let dynamic = snapshot.config.clusters.keys.sorted().map { name -> JSONValue in
            let held = snapshot.config.clusters[name]!
            return .object([
                "version_info": .string(held.versionInfo.rawValue),
                "cluster": cluster(held.cluster, typed: true),
                "last_updated": .string(timestamp(held.lastUpdated)),
            ])
        }
        if !dynamic.isEmpty { fields["dynamic_active_clusters"] = .array(dynamic) }
        return .object(fields)
    }

    /// A `Cluster` in proto field order, as configured (so `xds-grpc` names its service host).
    static func cluster(_ c: Cluster, bootstrapCluster: Bool = false, typed: Bool = false) -> JSONValue {
        var fields: JSONObject = [:]
        if typed { fields["@type"] = .string(TypeName.cluster) }
        fields["name"] = .string(c.name)
        // A set oneof member is printed even when it is the default (STATIC).
        fields["type"] = .string(ResourceValidation.name(of: c.type))
        if c.type == .eds {
            var eds: JSONObject = [
                "eds_config": .object(["ads": .object([:]), "resource_api_version": "V3"])
            ]
            if !c.edsServiceName.isEmpty { eds["service_name"] = .string(c.edsServiceName) }
            fields["eds_cluster_config"] = .object(eds)
        }
        if let timeout = c.connectTimeout { fields["connect_timeout"] = .string(duration(timeout)) }
        if c.lbPolicy != .roundRobin { fields["lb_policy"] = .string(ResourceValidation.name(of: c.lbPolicy)) }
        if let assignment = c.loadAssignment { fields["load_assignment"] = configuredAssignment(assignment) }
        if c.http2 {
            fields["typed_extension_protocol_options"] = .object([
                "envoy.extensions.upstreams.http.v3.HttpProtocolOptions": .object([
                    "@type": .string(TypeName.httpProtocolOptions),
                    "explicit_http_config": .object(["http2_protocol_options": .object([:])]),
                ])
            ])
        }
        // Istio 1.6's bootstrap sets it on xds-grpc (envoy_bootstrap_v2.json).
        if bootstrapCluster && c.type == .strictDNS { fields["respect_dns_ttl"] = true }
        return .object(fields)
    }

    /// A `ClusterLoadAssignment` as written in configuration (only set fields).
    static func configuredAssignment(_ a: ClusterLoadAssignment) -> JSONValue {
        let localities = a.endpoints.map { locality -> JSONValue in
            var fields: JSONObject = [:]
            if locality.locality != nil { fields["locality"] = self.locality(locality.locality) }
            fields["lb_endpoints"] = .array(locality.lbEndpoints.map { e in
                var endpoint: JSONObject = ["address": address(e.address)]
                if !e.hostname.isEmpty { endpoint["hostname"] = .string(e.hostname) }
                var lb: JSONObject = ["endpoint": .object(endpoint)]
                if e.healthStatus != .unknown { lb["health_status"] = .string(healthName(e.healthStatus)) }
                if let w = e.loadBalancingWeight { lb["load_balancing_weight"] = .int(Int64(w)) }
                return .object(lb)
            })
            if let w = locality.loadBalancingWeight { fields["load_balancing_weight"] = .int(Int64(w)) }
            if locality.priority != 0 { fields["priority"] = .int(Int64(locality.priority)) }
            return .object(fields)
        }
        return .object(["cluster_name": .string(a.clusterName), "endpoints": .array(localities)])
    }

    // MARK: Endpoints

    /// `EndpointsConfigDump`: the resolved `xds-grpc` hosts as static, the EDS assignments as
    /// dynamic, both as Envoy renders its live host sets (effective health, weights filled in,
    /// `policy.overprovisioning_factor` 140).
    package static func endpointsDump(_ snapshot: SidecarSnapshot) -> JSONValue {
        let staticConfig: JSONValue = .object([
            "endpoint_config": liveAssignment(snapshot.bootstrap.resolvedXDSAssignment, isStatic: true)
        ])
        let dynamic = snapshot.config.endpoints.keys.sorted().map { name -> JSONValue in
            let held = snapshot.config.endpoints[name]!
            return .object([
                "version_info": .string(held.versionInfo.rawValue),
                "endpoint_config": liveAssignment(held.assignment, isStatic: false),
                "last_updated": .string(timestamp(held.lastUpdated)),
            ])
        }
        var fields: JSONObject = [
            "@type": .string(TypeName.endpointsDump), "static_endpoint_configs": [staticConfig],
        ]
        if !dynamic.isEmpty { fields["dynamic_endpoint_configs"] = .array(dynamic) }
        return .object(fields)
    }

    static func liveAssignment(_ a: ClusterLoadAssignment, isStatic: Bool) -> JSONValue {
        let localities = a.endpoints.map { locality -> JSONValue in
            var fields: JSONObject = ["locality": self.locality(locality.locality)]
            fields["lb_endpoints"] = .array(locality.lbEndpoints.map { e in
                var endpoint: JSONObject = ["address": address(e.address), "health_check_config": .object([:])]
                if !e.hostname.isEmpty { endpoint["hostname"] = .string(e.hostname) }
                var lb: JSONObject = [
                    "endpoint": .object(endpoint), "health_status": .string(effectiveHealth(e.healthStatus)),
                ]
                // Envoy shows an empty metadata only on static hosts.
                if isStatic { lb["metadata"] = .object([:]) }
                lb["load_balancing_weight"] = .int(Int64(e.loadBalancingWeight ?? 1))
                return .object(lb)
            })
            fields["load_balancing_weight"] = .int(Int64(locality.loadBalancingWeight ?? 0))
            if locality.priority != 0 { fields["priority"] = .int(Int64(locality.priority)) }
            return .object(fields)
        }
        return .object([
            "@type": .string(TypeName.clusterLoadAssignment), "cluster_name": .string(a.clusterName),
            "endpoints": .array(localities), "policy": .object(["overprovisioning_factor": 140]),
        ])
    }

    static func healthName(_ status: HealthStatus) -> String {
        switch status {
        case .unknown: "UNKNOWN"
        case .healthy: "HEALTHY"
        case .unhealthy: "UNHEALTHY"
        case .draining: "DRAINING"
        case .timeout: "TIMEOUT"
        case .degraded: "DEGRADED"
        }
    }
}
