import BenchKit
import Foundation

/// An SVG chart of p99 convergence against N, one panel per world, one line per scenario and
/// server (solid: xdsemu, dashed: raw). Log scales on both axes. Written by hand: no dependencies.
enum ConvergenceChart {
    static let colors: [Scenario: String] = [.connectStorm: "#1f77b4", .fullPush: "#d62728", .incremental: "#2ca02c"]

    static func render(_ report: BenchReport) -> String {
        let worlds = Array(Set(report.runs.map(\.world))).sorted()
        let panelWidth = 420.0, panelHeight = 300.0, margin = 60.0
        let width = margin + Double(max(1, worlds.count)) * (panelWidth + margin)
        let height = panelHeight + 2 * margin + 60
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(margin)" y="20" font-size="14">p99 convergence (ms) vs streams — solid: xdsemu XDSServer, dashed: raw transport</text>\n
        """
        let points = report.runs.flatMap { run in
            run.scenarios.filter { $0.convergence.count > 0 }.map { (run, $0) }
        }
        let ns = points.map { Double($0.0.streams) }
        let ys = points.map { max($0.1.convergence.p99 * 1000, 0.01) }
        let (xMin, xMax) = logBounds(ns.min() ?? 10, ns.max() ?? 10000)
        let (yMin, yMax) = logBounds(ys.min() ?? 0.1, ys.max() ?? 1000)

        for (panel, world) in worlds.enumerated() {
            let left = margin + Double(panel) * (panelWidth + margin), top = margin
            func x(_ n: Double) -> Double { left + (log10(n) - xMin) / (xMax - xMin) * panelWidth }
            func y(_ v: Double) -> Double { top + panelHeight - (log10(v) - yMin) / (yMax - yMin) * panelHeight }
            svg += "<text x=\"\(left)\" y=\"\(top - 8)\" font-size=\"13\">\(world)</text>\n"
            svg += "<rect x=\"\(left)\" y=\"\(top)\" width=\"\(panelWidth)\" height=\"\(panelHeight)\" fill=\"none\" stroke=\"#888\"/>\n"
            for e in stride(from: Int(xMin), through: Int(xMax), by: 1) {
                let px = x(pow(10, Double(e)))
                svg += "<line x1=\"\(px)\" y1=\"\(top)\" x2=\"\(px)\" y2=\"\(top + panelHeight)\" stroke=\"#eee\"/>"
                svg += "<text x=\"\(px)\" y=\"\(top + panelHeight + 14)\" text-anchor=\"middle\">\(label(e))</text>\n"
            }
            for e in stride(from: Int(yMin), through: Int(yMax), by: 1) {
                let py = y(pow(10, Double(e)))
                svg += "<line x1=\"\(left)\" y1=\"\(py)\" x2=\"\(left + panelWidth)\" y2=\"\(py)\" stroke=\"#eee\"/>"
                svg += "<text x=\"\(left - 4)\" y=\"\(py + 4)\" text-anchor=\"end\">\(label(e))</text>\n"
            }
            svg += "<text x=\"\(left + panelWidth / 2)\" y=\"\(top + panelHeight + 30)\" text-anchor=\"middle\">streams (N)</text>\n"
            for scenario in Scenario.allCases {
                for server in ["xds", "raw"] {
                    let series = points.filter { $0.0.world == world && $0.0.server == server && $0.1.scenario == scenario }
                        .sorted { $0.0.streams < $1.0.streams }
                    guard !series.isEmpty else { continue }
                    let color = colors[scenario]!
                    let path = series.map { "\(x(Double($0.0.streams))),\(y(max($0.1.convergence.p99 * 1000, 0.01)))" }
                    let dash = server == "raw" ? " stroke-dasharray=\"5,4\"" : ""
                    svg += "<polyline points=\"\(path.joined(separator: " "))\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"\(dash)/>\n"
                    for point in path {
                        let xy = point.split(separator: ",")
                        svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(color)\"/>"
                    }
                    svg += "\n"
                }
            }
        }
        for (i, scenario) in Scenario.allCases.enumerated() {
            let lx = margin + Double(i) * 160, ly = height - 20
            svg += "<line x1=\"\(lx)\" y1=\"\(ly)\" x2=\"\(lx + 24)\" y2=\"\(ly)\" stroke=\"\(colors[scenario]!)\" stroke-width=\"2\"/>"
            svg += "<text x=\"\(lx + 30)\" y=\"\(ly + 4)\">\(scenario.rawValue)</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// Whole decades around `low…high`.
    static func logBounds(_ low: Double, _ high: Double) -> (Double, Double) {
        let a = floor(log10(max(low, 1e-3))), b = ceil(log10(max(high, low * 10)))
        return (a, max(b, a + 1))
    }

    static func label(_ exponent: Int) -> String {
        let v = pow(10, Double(exponent))
        return v >= 1 ? String(Int(v)) : String(v)
    }
}
