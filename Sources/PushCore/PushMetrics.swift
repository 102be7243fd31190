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

        family("pilot_xds", "gauge", "Number of endpoints connected to this pilot using XDS.")
        each { m, l in sample("pilot_xds", l, "\(m.connectedStreams)") }
        family("pilot_xds_pushes", "counter", "Pilot build and send errors for lds, rds, cds and eds.")
        each { m, l in
            for (type, n) in m.pushes.sorted(by: { $0.key < $1.key }) {
                sample("pilot_xds_pushes", l.merging(["type": type.lowercased()]) { a, _ in a }, "\(n)")
            }
        }
        family("pilot_total_xds_rejects", "counter", "Total number of XDS responses from pilot rejected by proxy.")
        each { m, l in
            for (type, n) in m.nacks.sorted(by: { $0.key < $1.key }) {
                sample("pilot_total_xds_rejects", l.merging(["type": type.lowercased()]) { a, _ in a }, "\(n)")
            }
        }
        family("pilot_xds_push_errors", "counter", "Number of sends the transport could not complete.")
        each { m, l in sample("pilot_xds_push_errors", l, "\(m.pushErrors)") }
        family("xdsemu_stalled_sends_total", "counter", "Sends outstanding past the send deadline; their slots were freed.")
        each { m, l in sample("xdsemu_stalled_sends_total", l, "\(m.stalledSends)") }
        family("xdsemu_stalled_streams", "gauge", "Streams whose send is outstanding past the send deadline.")
        each { m, l in sample("xdsemu_stalled_streams", l, "\(m.stalledStreams)") }
        family("xdsemu_stalled_streams_ended_total", "counter", "Streams ended because a send stayed stalled too long.")
        each { m, l in sample("xdsemu_stalled_streams_ended_total", l, "\(m.stalledStreamsEnded)") }
        family("xdsemu_unknown_type_requests_total", "counter", "Requests for types the server does not serve.")
        each { m, l in sample("xdsemu_unknown_type_requests_total", l, "\(m.unknownTypeRequests)") }
        family("xdsemu_resource_encodings_total", "counter", "Resources serialised (once per changed resource).")
        each { m, l in sample("xdsemu_resource_encodings_total", l, "\(m.encodings)") }
        family("xdsemu_envelope_encodings_total", "counter", "Distinct responses serialised.")
        each { m, l in sample("xdsemu_envelope_encodings_total", l, "\(m.envelopeEncodings)") }
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
