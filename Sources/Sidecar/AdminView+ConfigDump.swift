import XDSModel

extension AdminView {
    /// `/config_dump`: `{"configs": [Bootstrap, Clusters, (Endpoints), Listeners, Secrets]}`.
    ///
    /// As in Envoy, the `EndpointsConfigDump` is only included with `?include_eds`
    /// (`includeEndpoints`). Unlike Envoy 1.40, which leaves them empty for EDS, each dynamic
    /// endpoint config carries the `version_info` and `last_updated` the proto defines, so the
    /// versions the proxy holds can be read back.
    public static func configDump(_ snapshot: SidecarSnapshot, includeEndpoints: Bool = false) -> AdminJSON {
        var configs = [bootstrapDump(snapshot), clustersDump(snapshot)]
        if includeEndpoints { configs.append(endpointsDump(snapshot)) }
        configs.append(.object([("@type", .string(TypeName.listenersDump))]))
        configs.append(.object([("@type", .string(TypeName.secretsDump))]))
        return .object([("configs", .array(configs))])
    }

    // MARK: Bootstrap

    /// `BootstrapConfigDump`: node, the static `xds-grpc` cluster, ADS as the CDS source, admin.
    public static func bootstrapDump(_ snapshot: SidecarSnapshot) -> AdminJSON {
        let bootstrap = snapshot.bootstrap
        let grpcService: AdminJSON = .object([("envoy_grpc", .object([("cluster_name", .string(SidecarBootstrap.xdsClusterName))]))])
        let ads: AdminJSON = .object([("ads", .object([])), ("resource_api_version", "V3")])
        let body: AdminJSON = .object([
            ("node", node(bootstrap)),
            ("static_resources", .object([("clusters", [cluster(bootstrap.xdsCluster, bootstrapCluster: true)])])),
            ("dynamic_resources", .object([
                ("cds_config", ads),
                ("ads_config", .object([
                    ("api_type", "GRPC"), ("grpc_services", [grpcService]), ("transport_api_version", "V3"),
                ])),
            ])),
            ("admin", .object([("address", address(SocketAddress(address: "127.0.0.1", portValue: UInt32(envoyAdminPort))))])),
        ])
        return .object([
            ("@type", .string(TypeName.bootstrapDump)), ("bootstrap", body),
            ("last_updated", .string(timestamp(snapshot.startedAt))),
        ])
    }

    /// The node as Envoy echoes it: id, cluster, metadata, then its own user agent and build.
    static func node(_ bootstrap: SidecarBootstrap) -> AdminJSON {
        let node = bootstrap.node
        let envoy = EnvoyBuild(istioVersion: bootstrap.istioVersion)
        return .object([
            ("id", .string(node.id)),
            ("cluster", .string(node.cluster)),
            ("metadata", metadata(.structure(node.metadata))),
            ("user_agent_name", "envoy"),
            ("user_agent_build_version", envoy.buildVersion),
        ])
    }

    // MARK: Clusters

    /// `ClustersConfigDump`: the bootstrap cluster as static, the CDS clusters as dynamic active,
    /// each with the version of the response that last changed it.
    public static func clustersDump(_ snapshot: SidecarSnapshot) -> AdminJSON {
        var fields: [(String, AdminJSON)] = [("@type", .string(TypeName.clustersDump))]
        if snapshot.config.clustersVersion != .none {
            fields.append(("version_info", .string(snapshot.config.clustersVersion.rawValue)))
        }
        fields.append(("static_clusters", [
            .object([
                ("cluster", cluster(snapshot.bootstrap.xdsCluster, bootstrapCluster: true, typed: true)),
                ("last_updated", .string(timestamp(snapshot.startedAt))),
            ])
        ]))
        let dynamic = snapshot.config.clusters.keys.sorted().map { name -> AdminJSON in
            let held = snapshot.config.clusters[name]!
            return .object([
                ("version_info", .string(held.versionInfo.rawValue)),
                ("cluster", cluster(held.cluster, typed: true)),
                ("last_updated", .string(timestamp(held.lastUpdated))),
            ])
        }
        if !dynamic.isEmpty { fields.append(("dynamic_active_clusters", .array(dynamic))) }
        return .object(fields)
    }

    /// A `Cluster` in proto field order, as configured (so `xds-grpc` names its service host).
    static func cluster(_ c: Cluster, bootstrapCluster: Bool = false, typed: Bool = false) -> AdminJSON {
        var fields: [(String, AdminJSON)] = []
        if typed { fields.append(("@type", .string(TypeName.cluster))) }
        fields.append(("name", .string(c.name)))
        // A set oneof member is printed even when it is the default (STATIC).
        fields.append(("type", .string(ResourceValidation.name(of: c.type))))
        if c.type == .eds {
            var eds: [(String, AdminJSON)] = [
                ("eds_config", .object([("ads", .object([])), ("resource_api_version", "V3")]))
            ]
            if !c.edsServiceName.isEmpty { eds.append(("service_name", .string(c.edsServiceName))) }
            fields.append(("eds_cluster_config", .object(eds)))
        }
        if let timeout = c.connectTimeout { fields.append(("connect_timeout", .string(duration(timeout)))) }
        if c.lbPolicy != .roundRobin { fields.append(("lb_policy", .string(ResourceValidation.name(of: c.lbPolicy)))) }
        if let assignment = c.loadAssignment { fields.append(("load_assignment", configuredAssignment(assignment))) }
        if c.http2 {
            fields.append(("typed_extension_protocol_options", .object([
                ("envoy.extensions.upstreams.http.v3.HttpProtocolOptions", .object([
                    ("@type", .string(TypeName.httpProtocolOptions)),
                    ("explicit_http_config", .object([("http2_protocol_options", .object([]))])),
                ]))
            ])))
        }
        // Istio 1.6's bootstrap sets it on xds-grpc (envoy_bootstrap_v2.json).
        if bootstrapCluster && c.type == .strictDNS { fields.append(("respect_dns_ttl", true)) }
        return .object(fields)
    }

    /// A `ClusterLoadAssignment` as written in configuration (only set fields).
    static func configuredAssignment(_ a: ClusterLoadAssignment) -> AdminJSON {
        let localities = a.endpoints.map { locality -> AdminJSON in
            var fields: [(String, AdminJSON)] = []
            if locality.locality != nil { fields.append(("locality", self.locality(locality.locality))) }
            fields.append(("lb_endpoints", .array(locality.lbEndpoints.map { e in
                var endpoint: [(String, AdminJSON)] = [("address", address(e.address))]
                if !e.hostname.isEmpty { endpoint.append(("hostname", .string(e.hostname))) }
                var lb: [(String, AdminJSON)] = [("endpoint", .object(endpoint))]
                if e.healthStatus != .unknown { lb.append(("health_status", .string(healthName(e.healthStatus)))) }
                if let w = e.loadBalancingWeight { lb.append(("load_balancing_weight", .int(Int64(w)))) }
                return .object(lb)
            })))
            if let w = locality.loadBalancingWeight { fields.append(("load_balancing_weight", .int(Int64(w)))) }
            if locality.priority != 0 { fields.append(("priority", .int(Int64(locality.priority)))) }
            return .object(fields)
        }
        return .object([("cluster_name", .string(a.clusterName)), ("endpoints", .array(localities))])
    }

    // MARK: Endpoints

    /// `EndpointsConfigDump`: the resolved `xds-grpc` hosts as static, the EDS assignments as
    /// dynamic, both as Envoy renders its live host sets (effective health, weights filled in,
    /// `policy.overprovisioning_factor` 140).
    public static func endpointsDump(_ snapshot: SidecarSnapshot) -> AdminJSON {
        let staticConfig: AdminJSON = .object([
            ("endpoint_config", liveAssignment(snapshot.bootstrap.resolvedXDSAssignment, isStatic: true))
        ])
        let dynamic = snapshot.config.endpoints.keys.sorted().map { name -> AdminJSON in
            let held = snapshot.config.endpoints[name]!
            return .object([
                ("version_info", .string(held.versionInfo.rawValue)),
                ("endpoint_config", liveAssignment(held.assignment, isStatic: false)),
                ("last_updated", .string(timestamp(held.lastUpdated))),
            ])
        }
        var fields: [(String, AdminJSON)] = [
            ("@type", .string(TypeName.endpointsDump)), ("static_endpoint_configs", [staticConfig]),
        ]
        if !dynamic.isEmpty { fields.append(("dynamic_endpoint_configs", .array(dynamic))) }
        return .object(fields)
    }

    static func liveAssignment(_ a: ClusterLoadAssignment, isStatic: Bool) -> AdminJSON {
        let localities = a.endpoints.map { locality -> AdminJSON in
            var fields: [(String, AdminJSON)] = [("locality", self.locality(locality.locality))]
            fields.append(("lb_endpoints", .array(locality.lbEndpoints.map { e in
                var endpoint: [(String, AdminJSON)] = [("address", address(e.address)), ("health_check_config", .object([]))]
                if !e.hostname.isEmpty { endpoint.append(("hostname", .string(e.hostname))) }
                var lb: [(String, AdminJSON)] = [
                    ("endpoint", .object(endpoint)), ("health_status", .string(effectiveHealth(e.healthStatus))),
                ]
                // Envoy shows an empty metadata only on static hosts.
                if isStatic { lb.append(("metadata", .object([]))) }
                lb.append(("load_balancing_weight", .int(Int64(e.loadBalancingWeight ?? 1))))
                return .object(lb)
            })))
            fields.append(("load_balancing_weight", .int(Int64(locality.loadBalancingWeight ?? 0))))
            if locality.priority != 0 { fields.append(("priority", .int(Int64(locality.priority)))) }
            return .object(fields)
        }
        return .object([
            ("@type", .string(TypeName.clusterLoadAssignment)), ("cluster_name", .string(a.clusterName)),
            ("endpoints", .array(localities)), ("policy", .object([("overprovisioning_factor", 140)])),
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
