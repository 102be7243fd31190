import BenchKit
import Foundation

/// The stdout table: one row per world × N × scenario × server; the control plane's rows carry its
/// throughput as a ratio to the raw baseline's for the same world, N and scenario.
enum ReportTable {
    static let header = [
        "world", "N", "scenario", "server", "p50 ms", "p99 ms", "max ms", "msgs/s", "MB/s", "srv CPU s",
        "cli CPU s", "encodings", "srv RSS MB", "KiB/stream", "×raw msg/s", "×raw MB/s", "missing",
    ]

    static func render(_ report: BenchReport) -> String {
        var rows: [[String]] = []
        for run in report.runs {
            if let error = run.error {
                rows.append([run.world, String(run.streams), "-", run.server, "error: \(error)"])
                continue
            }
            for s in run.scenarios {
                let raw = report.runs.first { $0.world == run.world && $0.streams == run.streams && $0.server == "raw" }?
                    .scenarios.first { $0.scenario == s.scenario }
                let ratio = { (a: Double, b: Double?) -> String in
                    guard run.server != "raw", let b, b > 0 else { return "" }
                    return String(format: "%.2f", a / b)
                }
                rows.append([
                    run.world, String(run.streams), s.scenario.rawValue, run.server,
                    ms(s.convergence.p50), ms(s.convergence.p99), ms(s.convergence.max),
                    String(format: "%.0f", s.messagesPerSecond), String(format: "%.1f", s.megabytesPerSecond),
                    String(format: "%.2f", s.serverCPU), String(format: "%.2f", s.clientCPU), String(s.encodings),
                    String(format: "%.0f", Double(run.serverRSSConnected) / 1e6),
                    String(format: "%.1f", Double(run.bytesPerStream) / 1024),
                    ratio(s.messagesPerSecond, raw?.messagesPerSecond), ratio(s.megabytesPerSecond, raw?.megabytesPerSecond),
                    String(s.missing),
                ])
            }
        }
        var widths = header.map(\.count)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                i < widths.count ? c.padding(toLength: widths[i], withPad: " ", startingAt: 0) : c
            }.joined(separator: " | ")
        }
        var out = "\(report.machine)\n\(report.cores) cores, \(report.date)\n\n"
        out += line(header) + "\n" + widths.map { String(repeating: "-", count: $0) }.joined(separator: "-|-") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }

    static func ms(_ seconds: Double) -> String { String(format: "%.1f", seconds * 1000) }
}
