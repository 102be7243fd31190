import JSON
import XDSModel

extension AdminView {
    /// `/clusters?format=json`: `envoy.admin.v3.Clusters`, one `ClusterStatus` per cluster with its
    /// hosts. This is what `istioctl proxy-config endpoints` reads (docs/istio-facts.md §2.1).
    ///
    /// The static `xds-grpc` cluster comes first, without `added_via_api`; its one host is the
    /// resolved loopback address with the revision's service host as `hostname`, as Envoy shows a
    /// STRICT_DNS host. Dynamic clusters follow by name, with the hosts of their EDS assignment.
    package static func clusters(_ snapshot: SidecarSnapshot) -> JSONValue {
        let connected: Int64 = snapshot.connection.isConnected ? 1 : 0
        let opened = Int64(snapshot.streamsOpened)
        var statuses: [JSONValue] = [
            clusterStatus(
                name: SidecarBootstrap.xdsClusterName, addedViaAPI: false,
                assignment: snapshot.bootstrap.resolvedXDSAssignment,
                // The ADS stream is this cluster's one connection and one (long) request.
                stats: HostStats(cxTotal: opened, rqTotal: opened, cxActive: connected, rqActive: connected),
                maxRequests: 100_000)
        ]
        for name in snapshot.config.clusters.keys.sorted() {
            let held = snapshot.config.clusters[name]!
            statuses.append(
                clusterStatus(
                    name: name, addedViaAPI: true, assignment: snapshot.config.assignment(forCluster: name),
                    edsServiceName: held.cluster.type == .eds ? held.cluster.edsServiceName : "",
                    stats: HostStats(), maxRequests: 1024))
        }
        return .object(["cluster_statuses": .array(statuses)])
    }

    /// Per-host counters; the simulated proxy carries no traffic, so only xds-grpc has any.
    struct HostStats {
        var cxTotal: Int64 = 0
        var rqTotal: Int64 = 0
        var cxActive: Int64 = 0
        var rqActive: Int64 = 0

        /// Envoy 1.40's list and order: counters (no `type`), then gauges; zero values omitted.
        var json: JSONValue {
            func stat(_ name: String, _ value: Int64, gauge: Bool = false) -> JSONValue {
                var fields: JSONObject = [:]
                if gauge { fields["type"] = "GAUGE" }
                // `value` is a uint64, which protobuf JSON prints as a string.
                if value != 0 { fields["value"] = .string(String(value)) }
                fields["name"] = .string(name)
                return .object(fields)
            }
            return .array([
                stat("cx_connect_fail", 0), stat("cx_total", cxTotal), stat("rq_error", 0), stat("rq_success", 0),
                stat("rq_timeout", 0), stat("rq_total", rqTotal), stat("cx_active", cxActive, gauge: true),
                stat("rq_active", rqActive, gauge: true), stat("rq_pending_active", 0, gauge: true),
            ])
        }
    }

    static func clusterStatus(
        name: String, addedViaAPI: Bool, assignment: ClusterLoadAssignment?, edsServiceName: String = "",
        stats: HostStats, maxRequests: Int64
    ) -> JSONValue {
        var fields: JSONObject = ["name": .string(name)]
        if addedViaAPI { fields["added_via_api"] = true }
        var hosts: [JSONValue] = []
        for locality in assignment?.endpoints ?? [] {
            for endpoint in locality.lbEndpoints {
                hosts.append(hostStatus(endpoint, locality: locality, stats: stats))
            }
        }
        // An empty repeated field is omitted, as protobuf JSON does.
        if !hosts.isEmpty { fields["host_statuses"] = .array(hosts) }
        fields["circuit_breakers"] = circuitBreakers(maxRequests)
        fields["observability_name"] = .string(name)
        if !edsServiceName.isEmpty { fields["eds_service_name"] = .string(edsServiceName) }
        return .object(fields)
    }

    /// `HostStatus` in proto field order: address, stats, health_status, weight, hostname,
    /// priority (omitted when 0), locality.
    static func hostStatus(_ endpoint: LbEndpoint, locality: LocalityLbEndpoints, stats: HostStats) -> JSONValue {
        var fields: JSONObject = [
            "address": address(endpoint.address),
            "stats": stats.json,
            "health_status": .object(["eds_health_status": .string(effectiveHealth(endpoint.healthStatus))]),
            "weight": .int(Int64(endpoint.loadBalancingWeight ?? 1)),
        ]
        if !endpoint.hostname.isEmpty { fields["hostname"] = .string(endpoint.hostname) }
        if locality.priority != 0 { fields["priority"] = .int(Int64(locality.priority)) }
        fields["locality"] = self.locality(locality.locality)
        return .object(fields)
    }

    static func locality(_ locality: Locality?) -> JSONValue {
        var fields: JSONObject = [:]
        if let l = locality {
            if !l.region.isEmpty { fields["region"] = .string(l.region) }
            if !l.zone.isEmpty { fields["zone"] = .string(l.zone) }
            if !l.subZone.isEmpty { fields["sub_zone"] = .string(l.subZone) }
        }
        return .object(fields)
    }

    /// Envoy's default thresholds (1024, 1024, 1024, 3) per priority; Istio's bootstrap raises
    /// xds-grpc's to 100000.
    static func circuitBreakers(_ limit: Int64) -> JSONValue {
        func thresholds(high: Bool) -> JSONValue {
            var fields: JSONObject = high ? ["priority": "HIGH"] : [:]
            fields += [
                "max_connections": .int(limit), "max_pending_requests": .int(limit),
                "max_requests": .int(limit), "max_retries": 3,
            ]
            return .object(fields)
        }
        return .object(["thresholds": [thresholds(high: false), thresholds(high: true)]])
    }
}

extension AdminView {
    /// `/clusters` without `format=json`: Envoy's `name::key::value` lines (what a human or
    /// `pilot-agent request GET clusters` sees). Same clusters, hosts and order as the JSON form.
    package static func clustersText(_ snapshot: SidecarSnapshot) -> String {
        guard case .array(let statuses)? = clusters(snapshot)["cluster_statuses"] else { return "" }
        var lines: [String] = []
        for status in statuses {
            guard case .string(let name)? = status["name"] else { continue }
            lines.append("\(name)::observability_name::\(name)")
            if case .array(let tiers)? = status["circuit_breakers"]?["thresholds"] {
                for tier in tiers {
                    let prefix = tier["priority"] == nil ? "default_priority" : "high_priority"
                    for key in ["max_connections", "max_pending_requests", "max_requests", "max_retries"] {
                        if case .int(let v)? = tier[key] { lines.append("\(name)::\(prefix)::\(key)::\(v)") }
                    }
                }
            }
            lines.append("\(name)::added_via_api::\(status["added_via_api"] == .bool(true))")
            if case .string(let eds)? = status["eds_service_name"] { lines.append("\(name)::eds_service_name::\(eds)") }
            guard case .array(let hosts)? = status["host_statuses"] else { continue }
            for host in hosts {
                let prefix: String
                if case .string(let path)? = host["address"]?["pipe"]?["path"] {
                    prefix = "\(name)::\(path)"
                } else if case .string(let ip)? = host["address"]?["socket_address"]?["address"],
                          case .int(let port)? = host["address"]?["socket_address"]?["port_value"] {
                    prefix = "\(name)::\(ip):\(port)"
                } else {
                    continue
                }
                var stats: [(String, Int64)] = []
                if case .array(let entries)? = host["stats"] {
                    for entry in entries {
                        guard case .string(let stat)? = entry["name"] else { continue }
                        let value = entry["value"].flatMap { v -> Int64? in
                            if case .string(let s) = v { return Int64(s) }
                            return nil
                        } ?? 0
                        stats.append((stat, value))
                    }
                }
                for (stat, value) in stats.sorted(by: { $0.0 < $1.0 }) { lines.append("\(prefix)::\(stat)::\(value)") }
                let hostname: String
                if case .string(let h)? = host["hostname"] { hostname = h } else { hostname = "" }
                lines.append("\(prefix)::hostname::\(hostname)")
                let health: String
                if case .string(let h)? = host["health_status"]?["eds_health_status"] { health = h } else { health = "HEALTHY" }
                lines.append("\(prefix)::health_flags::\(healthFlags(health))")
                if case .int(let w)? = host["weight"] { lines.append("\(prefix)::weight::\(w)") }
                for key in ["region", "zone", "sub_zone"] {
                    var value = ""
                    if case .string(let v)? = host["locality"]?[key] { value = v }
                    lines.append("\(prefix)::\(key)::\(value)")
                }
                lines.append("\(prefix)::canary::false")
                var priority: Int64 = 0
                if case .int(let p)? = host["priority"] { priority = p }
                lines.append("\(prefix)::priority::\(priority)")
                lines.append("\(prefix)::success_rate::-1")
                lines.append("\(prefix)::local_origin_success_rate::-1")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Envoy's `health_flags` words for an EDS health status.
    static func healthFlags(_ edsHealth: String) -> String {
        switch edsHealth {
        case "UNHEALTHY": "/failed_eds_health"
        case "DEGRADED": "/degraded_eds_health"
        case "DRAINING": "/eds_status_draining"
        default: "healthy"
        }
    }
}
