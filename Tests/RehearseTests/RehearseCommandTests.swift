import Foundation
import TestKit
import Testing

/// `xdsemu rehearse` as a user runs it: a scenario whose expectation is wrong fails with a clear
/// message and exit 1; a hanging step is killed at its timeout and the next scenario still runs;
/// a bad file is refused before anything runs (exit 2).
@Suite(.serialized)
struct RehearseCommandTests {
    static func rehearse(_ files: [String: String], _ extra: [String] = [], in dir: String) async throws -> ProcessRun {
        for (name, text) in files { try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8) }
        return try await ChildProcess.run(
            RealPeers.xdsemu, ["rehearse"] + files.keys.sorted().map { "\(dir)/\($0)" } + extra, directory: dir,
            timeout: .seconds(120))
    }

    /// The seed's final check, on a world where one Deployment was not restarted.
    static let wrongExpectation = """
        name: every proxy on the canary (but ratings was not restarted)
        istio: 1.5.4
        istioctl: 1.6.0
        steps:
          - run: istioctl install --set revision=canary -y
          - run: kubectl label namespace default istio-injection- istio.io/rev=canary
          - run: kubectl rollout restart deployment details-v1 productpage-v1 reviews-v1 reviews-v2 reviews-v3
          - name: every bookinfo proxy on the canary
            expect:
              proxies: {namespace: default, revision: canary, version: 1.6.0, count: 6}
              within: 3s
          - name: never reached
            run: istioctl version

        """

    @Test func aWrongExpectationFailsWithAClearMessageAndExit1() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu))
        let dir = try KubectlHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let run = try await Self.rehearse(["wrong.yaml": Self.wrongExpectation], ["--junit", "\(dir)/junit.xml", "--json", "\(dir)/r.json", "--report", "\(dir)/report"], in: dir)
        #expect(run.status == 1, "\(run)")
        let lines = run.lines
        #expect(lines.contains { $0.hasPrefix("  ✔ istioctl install --set revision=canary -y (") }, "\(run)")
        #expect(lines.contains { $0.hasPrefix("  ✘ every bookinfo proxy on the canary (") }, "\(run)")
        // What was expected, and what came: the straggler by name, on the old revision.
        #expect(
            lines.contains {
                $0.hasPrefix("      proxies (namespace=default): 1 of 6 not on revision canary: ratings-v1-")
                    && $0.hasSuffix(".default (default)")
            }, "\(run)")
        #expect(lines.contains("      still not so after 3.0s"), "\(run)")
        #expect(!run.stdout.contains("never reached ("), "\(run)")
        #expect(lines.contains { $0.hasPrefix("✘ every proxy on the canary (but ratings was not restarted): failed after ") })
        #expect(lines.suffix(2) == ["1 scenario: 0 passed, 1 failed", "report: \(dir)/report/index.html"])
        let junit = try String(contentsOfFile: "\(dir)/junit.xml", encoding: .utf8)
        #expect(junit.contains("<failure message=\"step 4 &quot;every bookinfo proxy on the canary&quot; failed: proxies (namespace=default): 1 of 6 not on revision canary: ratings-v1-"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: "\(dir)/r.json"))) as? [[String: Any]])
        let steps = try #require(json.first?["steps"] as? [[String: Any]])
        #expect(steps.map { $0["status"] as? String } == ["passed", "passed", "passed", "failed", "skipped"])
        // The report of this real run: a series for each revision the proxies were on, the failed step marked.
        let page = try String(contentsOfFile: "\(dir)/report/01-every-proxy-on-the-canary-but-ratings-was-not-restarted.html", encoding: .utf8)
        #expect(page.components(separatedBy: "class=\"series\"").count == 3)
        #expect(page.contains("class=\"series\" data-revision=\"canary\"") && page.contains("class=\"series\" data-revision=\"default\""))
        #expect(page.contains("<rect class=\"step failed\" data-step=\"4\""))
        #expect(page.contains("<tr id=\"step-4\" class=\"failed\">"))
        #expect(page.contains("<tr id=\"step-5\" class=\"skipped\">"))
        #expect(try String(contentsOfFile: "\(dir)/report/index.html", encoding: .utf8).contains("<h1>Rehearsals: 0 passed, 1 failed</h1>"))
    }

    @Test func aHangingStepIsKilledAtItsTimeoutAndTheNextScenarioRuns() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu))
        let dir = try KubectlHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let hang = """
            name: a step that hangs
            istio: none
            steps:
              - name: wait forever
                run: echo started; sleep 600 & wait
                timeout: 1s
              - run: "true"

            """
        let next = """
            name: the next scenario
            istio: none
            steps:
              - name: kubectl answers
                run: kubectl get namespace default -o name
                expect: {stdout: {equals: namespace/default}}

            """
        let run = try await Self.rehearse(["1-hang.yaml": hang, "2-next.yaml": next], ["--junit", "\(dir)/junit.xml"], in: dir)
        #expect(run.status == 1, "\(run)")
        #expect(run.lines.contains { $0.hasPrefix("  ✘ wait forever (1.") }, "\(run)")
        #expect(run.lines.contains("      the command was still running at its timeout and was killed"), "\(run)")
        #expect(run.lines.contains("      | started"), "\(run)")
        #expect(run.lines.contains { $0.hasPrefix("  ✔ kubectl answers (") }, "\(run)")
        #expect(run.lines.last == "2 scenarios: 1 passed, 1 failed")
        let junit = try String(contentsOfFile: "\(dir)/junit.xml", encoding: .utf8)
        #expect(junit.components(separatedBy: "<testcase ").count == 3)
        #expect(junit.components(separatedBy: "<failure ").count == 2)
    }

    @Test func aBadFileIsRefusedBeforeAnythingRuns() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu))
        let dir = try KubectlHarness.makeDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = "name: fine\nistio: none\nsteps:\n  - run: touch \(dir)/ran\n"
        let bad = "name: typo\nsteps:\n  - run: kubectl get pods\n    expext: {exit: 0}\n"
        let run = try await Self.rehearse(["a-good.yaml": good, "b-bad.yaml": bad], in: dir)
        #expect(run.status == 2, "\(run)")
        #expect(
            run.stderr == "xdsemu rehearse: \(dir)/b-bad.yaml:4: unknown key \"expext\" in a step; allowed: name, run, istioctl, timeout, expect\n",
            "\(run)")
        #expect(run.stdout.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: "\(dir)/ran"))
    }
}
