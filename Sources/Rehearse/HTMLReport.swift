import Foundation

/// `--report DIR`: one self-contained HTML page per scenario (the step list with ✔/✘, durations
/// and a failure's details, and the `TimelineSVG` of proxies per revision), and `index.html`
/// linking them. No script, no external asset: the page can be attached to a CI run as is.
package enum HTMLReport {
    /// The pages by file name, `index.html` included.
    package static func pages(_ results: [ScenarioResult]) -> [(name: String, html: String)] {
        let named = results.enumerated().map { (i, r) in (name: fileName(index: i, r.name), result: r) }
        var out = named.map { (name: $0.name, html: page($0.result)) }
        out.append((name: "index.html", html: index(named)))
        return out
    }

    package static func write(_ results: [ScenarioResult], to directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for p in pages(results) {
            try p.html.write(toFile: (directory as NSString).appendingPathComponent(p.name), atomically: true, encoding: .utf8)
        }
    }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}
        table{border-collapse:collapse;margin:1em 0}td,th{padding:.3em .7em;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
        tr.failed td{background:#fde8e8}tr.skipped td{color:#999}.mark{font-weight:bold}.passed .mark{color:#2a7d2a}.failed .mark{color:#c62828}
        pre{background:#f6f6f6;padding:.5em;margin:.3em 0;white-space:pre-wrap}.summary.failed{color:#c62828}.summary.passed{color:#2a7d2a}
        """

    package static func page(_ r: ScenarioResult) -> String {
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(escape(r.name))</title>"
        out += "<style>\(style)</style></head><body>\n"
        out += "<h1>\(r.passed ? "✔" : "✘") \(escape(r.name))</h1>\n"
        out += "<p class=\"summary \(r.passed ? "passed" : "failed")\">\(r.passed ? "passed" : "failed") in \(RehearsalRunner.format(r.seconds)) — \(escape(r.file))</p>\n"
        if let error = r.error { out += "<pre class=\"error\">\(escape(error))</pre>\n" }
        if let kept = r.keptKubeconfig { out += "<p>World left running: <code>export KUBECONFIG=\(escape(kept))</code></p>\n" }
        out += "<h2>Connected proxies per revision</h2>\n" + TimelineSVG.svg(r) + "\n"
        out += "<h2>Steps</h2>\n<table class=\"steps\"><tr><th>#</th><th></th><th>step</th><th>started</th><th>took</th><th>details</th></tr>\n"
        for (i, s) in r.steps.enumerated() {
            let mark = s.status == .passed ? "✔" : s.status == .failed ? "✘" : "–"
            out += "<tr id=\"step-\(i + 1)\" class=\"\(s.status.rawValue)\"><td>\(i + 1)</td><td class=\"mark\">\(mark)</td>"
            out += "<td>\(escape(s.name))</td><td>\(RehearsalRunner.format(s.start))</td>"
            out += "<td>\(s.status == .skipped ? "" : RehearsalRunner.format(s.seconds))</td><td>"
            if s.status == .failed {
                if let command = s.command { out += "<pre>$ \(escape(command))</pre>" }
                out += "<ul>" + s.failures.map { "<li>\(escape($0))</li>" }.joined() + "</ul>"
                if !s.outputTail.isEmpty { out += "<pre>\(escape(s.outputTail.joined(separator: "\n")))</pre>" }
            } else if let command = s.command {
                out += "<code>\(escape(command))</code>"
            }
            out += "</td></tr>\n"
        }
        out += "</table>\n</body></html>\n"
        return out
    }

    static func index(_ named: [(name: String, result: ScenarioResult)]) -> String {
        let failed = named.count { !$0.result.passed }
        var out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>xdsemu rehearse</title>"
        out += "<style>\(style)</style></head><body>\n<h1>Rehearsals: \(named.count - failed) passed, \(failed) failed</h1>\n<table>\n"
        for (name, r) in named {
            out += "<tr class=\"\(r.passed ? "passed" : "failed")\"><td class=\"mark\">\(r.passed ? "✔" : "✘")</td>"
            out += "<td><a href=\"\(escape(name))\">\(escape(r.name))</a></td><td>\(RehearsalRunner.format(r.seconds))</td></tr>\n"
        }
        out += "</table>\n</body></html>\n"
        return out
    }

    /// `03-rollback-to-the-old-revision.html`.
    static func fileName(index: Int, _ name: String) -> String {
        var slug = ""
        for ch in name.lowercased().unicodeScalars {
            if ch.isASCII, CharacterSet.alphanumerics.contains(ch) { slug.unicodeScalars.append(ch) } else if !slug.hasSuffix("-") { slug += "-" }
        }
        slug = String(slug.trimmingCharacters(in: CharacterSet(charactersIn: "-")).prefix(60))
        return String(format: "%02d-", index + 1) + (slug.isEmpty ? "scenario" : slug) + ".html"
    }

    package static func escape(_ s: String) -> String { MarkupText.escape(s) }
}
