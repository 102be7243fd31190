import XDSModel

/// Counters kept by the push core, named after istiod's where they mean the same thing.
public struct PushMetrics: Sendable, Equatable {
    /// `pilot_xds_pushes{type}`: responses sent, by type short name.
    public var pushes: [String: Int] = [:]
    /// Resources serialised. Equals the number of changed resources, whatever the number of streams.
    public var encodings = 0
    /// Response envelopes serialised (one per distinct response, shared by every stream it goes to).
    public var envelopeEncodings = 0
    /// `pilot_total_xds_rejects{type}`: NACKs received, by type short name.
    public var nacks: [String: Int] = [:]
    /// `pilot_xds_push_errors`: sends the transport could not complete.
    public var pushErrors = 0
    /// `pilot_xds`: streams connected now.
    public var connectedStreams = 0
    /// `pilot_proxy_convergence_time`: release of a change → the ACK of the response carrying it.
    public var convergence = Histogram(bounds: [0.001, 0.01, 0.1, 0.5, 1, 3, 5, 10, 20, 30])

    /// A cumulative histogram in seconds, rendered the Prometheus way.
    public struct Histogram: Sendable, Equatable {
        public let bounds: [Double]
        public private(set) var counts: [Int]
        public private(set) var sum: Double = 0
        public private(set) var count = 0
        init(bounds: [Double]) {
            self.bounds = bounds
            self.counts = Array(repeating: 0, count: bounds.count)
        }
        mutating func observe(_ seconds: Double) {
            for (i, bound) in bounds.enumerated() where seconds <= bound { counts[i] += 1 }
            sum += seconds
            count += 1
        }
    }

    /// The Prometheus text exposition format (version 0.0.4).
    public func prometheusText() -> String {
        var out = ""
        func family(_ name: String, _ kind: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(kind)\n"
        }
        family("pilot_xds", "gauge", "Number of endpoints connected to this pilot using XDS.")
        out += "pilot_xds \(connectedStreams)\n"
        family("pilot_xds_pushes", "counter", "Pilot build and send errors for lds, rds, cds and eds.")
        for (type, n) in pushes.sorted(by: { $0.key < $1.key }) { out += "pilot_xds_pushes{type=\"\(type.lowercased())\"} \(n)\n" }
        family("pilot_total_xds_rejects", "counter", "Total number of XDS responses from pilot rejected by proxy.")
        for (type, n) in nacks.sorted(by: { $0.key < $1.key }) { out += "pilot_total_xds_rejects{type=\"\(type.lowercased())\"} \(n)\n" }
        family("pilot_xds_push_errors", "counter", "Number of sends the transport could not complete.")
        out += "pilot_xds_push_errors \(pushErrors)\n"
        family("xdsemu_resource_encodings_total", "counter", "Resources serialised (once per changed resource).")
        out += "xdsemu_resource_encodings_total \(encodings)\n"
        family("xdsemu_envelope_encodings_total", "counter", "Distinct responses serialised.")
        out += "xdsemu_envelope_encodings_total \(envelopeEncodings)\n"
        family("pilot_proxy_convergence_time", "histogram", "Delay in seconds between config change and a proxy receiving all required configuration.")
        for (bound, n) in zip(convergence.bounds, convergence.counts) {
            out += "pilot_proxy_convergence_time_bucket{le=\"\(bound)\"} \(n)\n"
        }
        out += "pilot_proxy_convergence_time_bucket{le=\"+Inf\"} \(convergence.count)\n"
        out += "pilot_proxy_convergence_time_sum \(convergence.sum)\n"
        out += "pilot_proxy_convergence_time_count \(convergence.count)\n"
        return out
    }
}
