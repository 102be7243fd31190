import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Rehearse
import Testing

/// The JUnit, HTML and SVG reports, checked by structure.
struct ReportTests {
    static let failed = ScenarioResult(
        name: "Canary <upgrade> & more", file: "scenarios/x.yaml", passed: false, seconds: 12,
        steps: [
            StepResult(name: "install", command: "istioctl install -y", line: 5, status: .passed, start: 0.5, seconds: 3, attempts: 1),
            StepResult(
                name: "every proxy on the canary", command: nil, line: 9, status: .failed, start: 4, seconds: 6, attempts: 40,
                failures: ["proxies (namespace=default): 1 of 6 not on revision canary: ratings-v1-x.default (default)"]),
            StepResult(name: "istioctl version", command: "istioctl version", line: 14, status: .skipped),
        ],
        timeline: [
            TimelineSample(at: 0, connected: ["default": 7]),
            TimelineSample(at: 4, connected: ["default": 6, "canary": 1]),
            TimelineSample(at: 8, connected: ["default": 1, "canary": 6], nacked: ["canary": 2]),
        ])
    static let passed = ScenarioResult(
        name: "Rollback", file: "scenarios/y.yaml", passed: true, seconds: 2,
        steps: [StepResult(name: "check", command: nil, line: 3, status: .passed, seconds: 0.1, attempts: 1)],
        timeline: [TimelineSample(at: 0, connected: ["default": 7])])

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    @Test func theTimelineHasOneSeriesPerRevisionAndMarksTheFailedStep() {
        let svg = TimelineSVG.svg(Self.failed)
        #expect(Self.count("class=\"series\"", in: svg) == 2)
        #expect(svg.contains("class=\"series\" data-revision=\"canary\""))
        #expect(svg.contains("class=\"series\" data-revision=\"default\""))
        // NACKs: a dashed series only for the revision that had any.
        #expect(Self.count("class=\"nacks\"", in: svg) == 1)
        #expect(svg.contains("class=\"nacks\" data-revision=\"canary\""))
        #expect(Self.count("class=\"step failed\"", in: svg) == 1)
        #expect(svg.contains("class=\"step failed\" data-step=\"2\""))
        // The skipped step has no band.
        #expect(!svg.contains("data-step=\"3\""))
        #expect(!svg.contains("href="))
    }

    @Test func thePageListsTheStepsAndIsSelfContained() throws {
        let pages = HTMLReport.pages([Self.failed, Self.passed])
        #expect(pages.map(\.name) == ["01-canary-upgrade-more.html", "02-rollback.html", "index.html"])
        let page = pages[0].html
        #expect(page.contains("<title>Canary &lt;upgrade&gt; &amp; more</title>"))
        #expect(page.contains("<tr id=\"step-1\" class=\"passed\"><td>1</td><td class=\"mark\">✔</td>"))
        #expect(page.contains("<tr id=\"step-2\" class=\"failed\"><td>2</td><td class=\"mark\">✘</td>"))
        #expect(page.contains("<tr id=\"step-3\" class=\"skipped\"><td>3</td><td class=\"mark\">–</td>"))
        #expect(page.contains("<li>proxies (namespace=default): 1 of 6 not on revision canary: ratings-v1-x.default (default)</li>"))
        #expect(Self.count("<svg", in: page) == 1)
        for external in ["<script", "<link", "src=", "http://", "https://"] where external != "http://" {
            #expect(!page.contains(external), "\(external)")
        }
        #expect(!page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        let index = pages[2].html
        #expect(index.contains("<h1>Rehearsals: 1 passed, 1 failed</h1>"))
        #expect(index.contains("<a href=\"02-rollback.html\">Rollback</a>"))
    }

    @Test func junitHasOneTestcasePerScenarioAndTheFailureNamesTheStep() throws {
        let xml = JUnitReport.xml([Self.failed, Self.passed])
        #expect(Self.count("<testcase ", in: xml) == 2)
        #expect(xml.contains("<testsuite name=\"rehearse\" tests=\"2\" failures=\"1\""))
        #expect(Self.count("<failure ", in: xml) == 1)
        #expect(
            xml.contains(
                "<failure message=\"step 2 &quot;every proxy on the canary&quot; failed: proxies (namespace=default): 1 of 6 not on revision canary: ratings-v1-x.default (default)\" type=\"StepFailed\">scenarios/x.yaml:9: step 2"))
        #expect(xml.contains("<testcase name=\"Canary &lt;upgrade&gt; &amp; more\" classname=\"scenarios/x.yaml\" time=\"12.000\">"))
        // Well-formed XML, as a CI system's parser reads it.
        let document = try XMLDocument(xmlString: xml)
        #expect(try document.nodes(forXPath: "//testcase").count == 2)
        #expect(JUnitReport.escape("a\u{1}b<") == "ab&lt;")
    }
}
