import XDSModel

/// Counters kept by the push core, named after istiod's where they mean the same thing.
public struct PushMetrics: Sendable, Equatable {
    /// `pilot_xds_pushes{type}`: responses sent, by type short name.
    package var pushes: [String: Int] = [:]
    /// Resources serialised. Equals the number of changed resources, whatever the number of streams.
    public var encodings = 0
    /// Response envelopes serialised (one per distinct response, shared by every stream it goes to).
    package var envelopeEncodings = 0
    /// `pilot_total_xds_rejects{type}`: NACKs received, by type short name.
    package var nacks: [String: Int] = [:]
    /// `pilot_xds_push_errors`: sends the transport could not complete.
    package var pushErrors = 0
    /// `pilot_xds`: streams connected now.
    package var connectedStreams = 0
    /// Sends found outstanding past `StallPolicy.releaseSlotAfter` (their slots were freed).
    package var stalledSends = 0
    /// Streams whose send is stalled now.
    package var stalledStreams = 0
    /// Streams ended because a send stayed stalled past `StallPolicy.endStreamAfter`.
    package var stalledStreamsEnded = 0
    /// Requests for types the server does not serve: one counter, no label per type (a label
    /// per invented type would grow the exposition without bound).
    package var unknownTypeRequests = 0
    /// `pilot_proxy_convergence_time`: release of a change → the ACK of the response carrying it.
    package var convergence = Histogram(bounds: [0.001, 0.01, 0.1, 0.5, 1, 3, 5, 10, 20, 30])

    /// A cumulative histogram in seconds, rendered the Prometheus way.
    package struct Histogram: Sendable, Equatable {
        package let bounds: [Double]
        package private(set) var counts: [Int]
        package private(set) var sum: Double = 0
        package private(set) var count = 0
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
    package func prometheusText() -> String { Self.prometheusText([([:], self)]) }

    /// Several servers' metrics in one exposition (each family declared once), each sample
    /// carrying its server's labels, e.g. `revision="canary"`.
    package static func prometheusText(_ sets: [(labels: [String: String], metrics: PushMetrics)]) -> String {
        var out = ""
        func family(_ name: String, _ kind: String, _ help: String) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(kind)\n"
        }
        func sample(_ name: String, _ labels: [String: String], _ value: String) {
            let rendered = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }
            out += rendered.isEmpty ? "\(name) \(value)\n" : "\(name){\(rendered.joined(separator: ","))} \(value)\n"
        }
        func each(_ body: (PushMetrics, [String: String]) -> Void) { for (labels, m) in sets { body(m, labels) } }

        /// A family with one sample per server.
        func scalar(_ name: String, _ kind: String, _ help: String, _ value: (PushMetrics) -> Int) {
            family(name, kind, help)
            each { m, l in sample(name, l, "\(value(m))") }
        }
        /// A counter family with one sample per server and xDS type.
        func byType(_ name: String, _ help: String, _ counts: (PushMetrics) -> [String: Int]) {
            family(name, "counter", help)
            each { m, l in
                for (type, n) in counts(m).sorted(by: { $0.key < $1.key }) {
                    sample(name, l.merging(["type": type.lowercased()]) { a, _ in a }, "\(n)")
                }
            }
        }

        scalar("pilot_xds", "gauge", "Number of endpoints connected to this pilot using XDS.") { $0.connectedStreams }
        byType("pilot_xds_pushes", "Pilot build and send errors for lds, rds, cds and eds.") { $0.pushes }
        byType("pilot_total_xds_rejects", "Total number of XDS responses from pilot rejected by proxy.") { $0.nacks }
        scalar("pilot_xds_push_errors", "counter", "Number of sends the transport could not complete.") { $0.pushErrors }
        scalar("xdsemu_stalled_sends_total", "counter", "Sends outstanding past the send deadline; their slots were freed.") {
            $0.stalledSends
        }
        scalar("xdsemu_stalled_streams", "gauge", "Streams whose send is outstanding past the send deadline.") {
            $0.stalledStreams
        }
        scalar("xdsemu_stalled_streams_ended_total", "counter", "Streams ended because a send stayed stalled too long.") {
            $0.stalledStreamsEnded
        }
        scalar("xdsemu_unknown_type_requests_total", "counter", "Requests for types the server does not serve.") {
            $0.unknownTypeRequests
        }
        scalar("xdsemu_resource_encodings_total", "counter", "Resources serialised (once per changed resource).") {
            $0.encodings
        }
        scalar("xdsemu_envelope_encodings_total", "counter", "Distinct responses serialised.") { $0.envelopeEncodings }
        family("pilot_proxy_convergence_time", "histogram", "Delay in seconds between config change and a proxy receiving all required configuration.")
        each { m, l in
            let c = m.convergence
            for (bound, n) in zip(c.bounds, c.counts) {
                sample("pilot_proxy_convergence_time_bucket", l.merging(["le": "\(bound)"]) { a, _ in a }, "\(n)")
            }
            sample("pilot_proxy_convergence_time_bucket", l.merging(["le": "+Inf"]) { a, _ in a }, "\(c.count)")
            sample("pilot_proxy_convergence_time_sum", l, "\(c.sum)")
            sample("pilot_proxy_convergence_time_count", l, "\(c.count)")
        }
        return out
    }
}
