import Foundation

/// JUnit XML as CI systems read it: one `testsuite` for the run, one `testcase` per scenario
/// (classname: its file), a `failure` naming the failed step with what was expected and what
/// came, and the step list as `system-out`.
package enum JUnitReport {
    package static func xml(_ results: [ScenarioResult]) -> String {
        let failures = results.count { !$0.passed }
        let total = results.reduce(0) { $0 + $1.seconds }
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"xdsemu rehearse\" tests=\"\(results.count)\" failures=\"\(failures)\" time=\"\(seconds(total))\">\n"
        out += "  <testsuite name=\"rehearse\" tests=\"\(results.count)\" failures=\"\(failures)\" errors=\"0\" time=\"\(seconds(total))\">\n"
        for r in results {
            out += "    <testcase name=\"\(escape(r.name))\" classname=\"\(escape(r.file))\" time=\"\(seconds(r.seconds))\">\n"
            if !r.passed {
                let (message, detail) = failure(r)
                out += "      <failure message=\"\(escape(message))\" type=\"StepFailed\">\(escape(detail))</failure>\n"
            }
            let steps = r.steps.map { s in
                "\(s.status == .passed ? "✔" : s.status == .failed ? "✘" : "-") \(s.name) (\(RehearsalRunner.format(s.seconds)))"
            }
            out += "      <system-out>\(escape(steps.joined(separator: "\n")))</system-out>\n"
            out += "    </testcase>\n"
        }
        out += "  </testsuite>\n</testsuites>\n"
        return out
    }

    /// The failure's one-line message (the step) and its details.
    static func failure(_ r: ScenarioResult) -> (String, String) {
        if let error = r.error { return (error, error) }
        guard let step = r.failedStep else { return ("failed", "") }
        let index = (r.steps.firstIndex(of: step) ?? 0) + 1
        let message = "step \(index) \"\(step.name)\" failed: \(step.failures.first ?? "")"
        var detail = "\(r.file):\(step.line): step \(index) \"\(step.name)\"\n"
        if let command = step.command { detail += "$ \(command)\n" }
        detail += step.failures.joined(separator: "\n") + "\n"
        if !step.outputTail.isEmpty { detail += "last lines of output:\n" + step.outputTail.joined(separator: "\n") + "\n" }
        return (message, detail)
    }

    static func seconds(_ s: Double) -> String { String(format: "%.3f", s) }

    package static func escape(_ s: String) -> String { MarkupText.escape(s) }
}
