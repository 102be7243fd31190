import Foundation
import JSON

extension AdminView {
    /// `/server_info`: `envoy.admin.v3.ServerInfo` with Envoy 1.40's keys, filled as an Istio
    /// sidecar's Envoy would be (`pilot-agent`'s command line: `--config-path
    /// /etc/istio/proxy/envoy-rev0.json`, `--drain-time-s 45`, `--parent-shutdown-time-s 60`,
    /// `--service-cluster`, `--service-node`).
    ///
    /// `state` is `INITIALIZING` until the first CDS response is accepted (Envoy waits for its
    /// initial xDS fetch before going `LIVE`), then `LIVE`.
    package static func serverInfo(_ snapshot: SidecarSnapshot, now: Date = Date()) -> JSONValue {
        let bootstrap = snapshot.bootstrap
        let envoy = EnvoyBuild(istioVersion: bootstrap.istioVersion)
        let uptime = "\(max(0, Int64(now.timeIntervalSince(snapshot.startedAt))))s"
        let live = snapshot.clusters.ackCount > 0
        let options: JSONObject = [
            "base_id": "0", "concurrency": 2, "config_path": "/etc/istio/proxy/envoy-rev0.json",
            "config_yaml": "", "allow_unknown_static_fields": true, "admin_address_path": "",
            "local_address_ip_version": "v4", "log_level": "warning",
            "component_log_level": "misc:error", "log_format": "[Envoy (Epoch 0)] [%Y-%m-%d %T.%e][%t][%l][%n] %v",
            "log_path": "", "service_cluster": .string(bootstrap.serviceCluster),
            "service_node": .string(bootstrap.nodeID), "service_zone": "", "file_flush_interval": "10s",
            "drain_time": "45s", "parent_shutdown_time": "60s", "mode": "Serve",
            "disable_hot_restart": false, "enable_mutex_tracing": false, "restart_epoch": 0,
            "cpuset_threads": false, "reject_unknown_dynamic_fields": false, "log_format_escaped": false,
            "disabled_extensions": [], "ignore_unknown_dynamic_fields": false, "use_dynamic_base_id": false,
            "base_id_path": "", "drain_strategy": "Gradual", "enable_fine_grain_logging": false,
            "socket_path": "@envoy_domain_socket", "socket_mode": 0, "enable_core_dump": false,
            "stats_tag": [], "skip_hot_restart_on_no_parent": false, "skip_hot_restart_parent_stats": false,
            "skip_deprecated_logs": false, "file_flush_min_size": 0, "log_stacktrace_single_entry": false,
        ]
        guard case .object(var node) = self.node(bootstrap) else { preconditionFailure("node renders as an object") }
        // ServerInfo's node lists the extension and feature fields too; the emulator has none.
        node += [
            "extensions": [], "client_features": [], "listening_addresses": [],
            "dynamic_parameters": .object([:]),
        ]
        return .object([
            "version": .string(envoy.fullVersion),
            "state": .string(live ? "LIVE" : "INITIALIZING"),
            "uptime_current_epoch": .string(uptime),
            "uptime_all_epochs": .string(uptime),
            "hot_restart_version": "11.104",
            "command_line_options": .object(options),
            "node": .object(node),
            "hot_restart_initializing": false,
        ])
    }
}
