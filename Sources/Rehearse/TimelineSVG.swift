import Foundation

/// The picture of a run: connected proxies per revision over time (one step line each), the
/// proxies whose last answer was a NACK (dashed, per revision that had any), and the steps as
/// bands along the time axis, the failed one in red. Plain inline SVG: no script, no external asset.
package enum TimelineSVG {
    static let width = 860.0, height = 260.0
    static let left = 44.0, right = 150.0, top = 16.0, bottom = 34.0
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f"]

    package static func svg(_ r: ScenarioResult) -> String {
        let revisions = r.revisions
        let span = max(r.seconds, r.timeline.last?.at ?? 0, 0.001)
        let peak = max(1, r.timeline.map { ($0.connected.values.max() ?? 0) }.max() ?? 0)
        let plotW = width - left - right, plotH = height - top - bottom
        func x(_ t: Double) -> Double { left + plotW * min(max(t / span, 0), 1) }
        func y(_ n: Int) -> Double { top + plotH * (1 - Double(n) / Double(peak)) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" width=\"\(Int(width))\" height=\"\(Int(height))\" "
        out += "viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"connected proxies per revision over the run\">\n"
        // Steps: a band each, alternating shades; the failed one red.
        for (i, s) in r.steps.enumerated() where s.status != .skipped {
            let x0 = x(s.start), x1 = max(x(s.start + s.seconds), x0 + 1)
            let failed = s.status == .failed
            let fill = failed ? "#f8d0d0" : (i % 2 == 0 ? "#f2f2f2" : "#e8e8e8")
            out += "<rect class=\"step\(failed ? " failed" : "")\" data-step=\"\(i + 1)\" x=\"\(f(x0))\" y=\"\(f(top))\" "
            out += "width=\"\(f(x1 - x0))\" height=\"\(f(plotH))\" fill=\"\(fill)\"><title>\(i + 1). \(HTMLReport.escape(s.name))"
            out += " (\(RehearsalRunner.format(s.seconds)))\(failed ? " — failed" : "")</title></rect>\n"
        }
        // Axes and ticks.
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top + plotH))\" x2=\"\(f(left + plotW))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
        out += "<line x1=\"\(f(left))\" y1=\"\(f(top))\" x2=\"\(f(left))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
        for k in 0...4 {
            let t = span * Double(k) / 4
            out += "<text x=\"\(f(x(t)))\" y=\"\(f(height - 14))\" font-size=\"11\" text-anchor=\"middle\">\(RehearsalRunner.format(t))</text>\n"
        }
        for n in Set([0, peak / 2, peak]).sorted() {
            out += "<text x=\"\(f(left - 6))\" y=\"\(f(y(n) + 4))\" font-size=\"11\" text-anchor=\"end\">\(n)</text>\n"
        }
        out += "<text x=\"\(f(left))\" y=\"\(f(height - 2))\" font-size=\"11\">time since the scenario started; proxies connected per revision</text>\n"
        // One series per revision, and its NACKs when it had any.
        for (i, revision) in revisions.enumerated() {
            let color = palette[i % palette.count]
            out += "<polyline class=\"series\" data-revision=\"\(HTMLReport.escape(revision))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\" points=\"\(points(r.timeline, x: x, y: y) { $0.connected[revision] ?? 0 })\"/>\n"
            if r.timeline.contains(where: { ($0.nacked[revision] ?? 0) > 0 }) {
                out += "<polyline class=\"nacks\" data-revision=\"\(HTMLReport.escape(revision))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\" points=\"\(points(r.timeline, x: x, y: y) { $0.nacked[revision] ?? 0 })\"/>\n"
            }
            let ly = top + 14 + Double(i) * 18
            out += "<line x1=\"\(f(width - right + 12))\" y1=\"\(f(ly - 4))\" x2=\"\(f(width - right + 32))\" y2=\"\(f(ly - 4))\" stroke=\"\(color)\" stroke-width=\"2\"/>"
            out += "<text class=\"legend\" x=\"\(f(width - right + 38))\" y=\"\(f(ly))\" font-size=\"12\">\(HTMLReport.escape(revision))</text>\n"
        }
        if revisions.contains(where: { rev in r.timeline.contains { ($0.nacked[rev] ?? 0) > 0 } }) {
            let ly = top + 14 + Double(revisions.count) * 18
            out += "<text x=\"\(f(width - right + 12))\" y=\"\(f(ly))\" font-size=\"11\">dashed: NACKed</text>\n"
        }
        out += "</svg>"
        return out
    }

    /// A step line: each sample holds until the next.
    static func points(_ samples: [TimelineSample], x: (Double) -> Double, y: (Int) -> Double, _ value: (TimelineSample) -> Int) -> String {
        var out: [String] = []
        var previous: Int?
        for s in samples {
            let v = value(s)
            if let p = previous, p != v { out.append(String(format: "%.1f,%.1f", x(s.at), y(p))) }
            out.append(String(format: "%.1f,%.1f", x(s.at), y(v)))
            previous = v
        }
        return out.joined(separator: " ")
    }
}
