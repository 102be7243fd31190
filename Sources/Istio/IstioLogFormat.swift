import Kubernetes

/// The lines istiod's `discovery` container and a pod's `istio-proxy` container write for the
/// xDS events the emulator sees, in the words and layout of each release (rows of
/// `ReleaseTable`). Pure: the caller gives the time and the facts.
///
/// Istio's own logger writes `TIME\tLEVEL\tSCOPE\tMESSAGE` with microseconds (pkg/log/config.go@1.6.0,
/// scope `ads`: pilot/pkg/proxy/envoy/v2/ads.go@1.6.0 ~40); the agent starts Envoy with a
/// `--log-format` in the same layout, `envoy LOGGER` as the scope (pkg/envoy/proxy.go@1.6.0 ~123).
package struct IstioLogFormat: Sendable {
    package let version: IstioVersion

    package init(version: IstioVersion) { self.version = version }

    func istio(_ time: Timestamp, _ level: String, _ scope: String, _ message: String) -> String {
        "\(time.rfc3339(fractionDigits: 6))\t\(level)\t\(scope)\t\(message)"
    }

    /// Envoy's layout under the agent. From 1.17 it adds the source location and thread; the
    /// emulator knows neither, so the location is the file with line 0 and the thread 1.
    func envoy(_ time: Timestamp, _ level: String, _ logger: String, file: String, _ message: String) -> String {
        guard version.has(.envoyLogLocation) else { return istio(time, level, "envoy \(logger)", message) }
        return "\(time.rfc3339(fractionDigits: 6))\t\(level)\tenvoy \(logger) \(file):0\t\(message)\tthread=1"
    }

    // MARK: istiod (`discovery`)

    /// istiod's name for the `number`th connection it accepted, from the proxy's node ID
    /// (`sidecar~10.244.0.12~details-v1-x.default~default.svc.cluster.local`): that ID, or from
    /// 1.11 its third part, then `-number` (`connectionID`, pilot/pkg/proxy/envoy/v2/eds.go@1.6.0 ~308).
    package func connectionID(nodeID: String, number: Int) -> String {
        let parts = nodeID.split(separator: "~", omittingEmptySubsequences: false)
        let base = version.has(.connectionIDFromProxyID) && parts.count == 4 ? String(parts[2]) : nodeID
        return "\(base)-\(number)"
    }

    /// A proxy opened its ADS stream; `connection` is istiod's connection ID (node ID + "-" + a
    /// counter, `connectionID` in pilot/pkg/proxy/envoy/v2/eds.go@1.6.0).
    package func newConnection(_ connection: String, at time: Timestamp) -> String {
        version.has(.adsNewConnectionLog)
            ? istio(time, "info", "ads", "ADS: new connection for node:\(connection)")
            : istio(time, "info", "ads", "ADS:CDS: REQ \(connection) version:")
    }

    /// The stream ended. `peer` is the proxy's address as istiod sees it.
    package func terminated(_ connection: String, peer: String, at time: Timestamp) -> String {
        // 1.6.0 ads.go ~181 and 1.20.0 ~198: the same words when the stream's context ends.
        istio(time, "info", "ads", "ADS: \"\(peer)\" \(connection) terminated with stream closed")
    }

    /// The proxy rejected a response (`ACK ERROR`, ads.go ~345 @1.6.0, ~380 @1.20.0).
    package func nack(_ connection: String, type: String, code: String, message: String, at time: Timestamp) -> String {
        istio(time, "warn", "ads", "ADS:\(type): ACK ERROR \(connection) \(code):\(message)")
    }

    /// A full push to every connected proxy.
    package func push(version pushVersion: String, services: Int, connected: Int, at time: Timestamp) -> String {
        if version.has(.pushLogWithoutTrigger) {
            return istio(time, "info", "ads", "XDS: Pushing Services:\(services) ConnectedEndpoints:\(connected) Version:\(pushVersion)")
        }
        let head = "XDS: Pushing:\(pushVersion) Services:\(services) ConnectedEndpoints:\(connected)"
        return istio(time, "info", "ads", version.has(.pushLogVersion) ? "\(head)  Version:\(pushVersion)" : head)
    }

    // MARK: The proxy (`istio-proxy`)

    /// The proxy's stream to istiod is up: the agent's line where the agent proxies xDS; Envoy
    /// says nothing at info level of its own connection.
    package func proxyConnected(to address: String, at time: Timestamp) -> String? {
        guard version.has(.agentXDSProxyLog) else { return nil }
        return istio(time, "info", "xdsproxy", "connected to upstream XDS server: \(address)")
    }

    /// Envoy applied a CDS response (`cds_api_helper.cc` in Envoy).
    package func clustersApplied(_ count: Int, at time: Timestamp) -> String {
        envoy(
            time, "info", "upstream", file: "external/envoy/source/common/upstream/cds_api_helper.cc",
            "cds: added/updated \(count) cluster(s), skipped 0 unmodified cluster(s)")
    }

    /// Envoy rejected a response (the NACK it sends istiod).
    package func rejected(_ typeURL: String, message: String, at time: Timestamp) -> String {
        envoy(
            time, "warning", "config", file: "external/envoy/source/common/config/grpc_subscription_impl.cc",
            "gRPC config for \(typeURL) rejected: \(message)")
    }
}
