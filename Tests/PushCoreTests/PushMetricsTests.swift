import Testing
@testable import PushCore

/// The Prometheus exposition: istiod's names, one declaration per family, labels per server.
@Suite struct PushMetricsTests {
    @Test func severalServersShareEachFamilyAndKeepTheirLabels() {
        var a = PushMetrics()
        a.connectedStreams = 7
        a.pushes = ["CDS": 3]
        a.nacks = ["CDS": 1]
        var b = PushMetrics()
        b.connectedStreams = 1
        let text = PushMetrics.prometheusText([(["revision": "default"], a), (["revision": "canary"], b)])
        let lines = text.split(separator: "\n")
        #expect(lines.filter { $0 == "# TYPE pilot_xds gauge" }.count == 1)
        #expect(lines.contains("pilot_xds{revision=\"default\"} 7"))
        #expect(lines.contains("pilot_xds{revision=\"canary\"} 1"))
        #expect(lines.contains("pilot_xds_pushes{revision=\"default\",type=\"cds\"} 3"))
        #expect(lines.contains("pilot_total_xds_rejects{revision=\"default\",type=\"cds\"} 1"))
        #expect(lines.contains("pilot_proxy_convergence_time_bucket{le=\"+Inf\",revision=\"canary\"} 0"))
        // Every sample line is `name{labels} value` or `name value`.
        for line in lines where !line.hasPrefix("#") {
            #expect(line.split(separator: " ").count == 2, "\(line)")
        }
    }

    @Test func oneServerWithoutLabelsRendersBareSamples() {
        var m = PushMetrics()
        m.connectedStreams = 2
        #expect(m.prometheusText().contains("\npilot_xds 2\n"))
    }
}
