import Foundation
import Istio
import Rehearse
import Testing

/// The scenario format: the issue's own example reads as documented; bad files are refused with
/// the file, the line and what is allowed.
struct ScenarioParserTests {
    static let example = """
        name: Canary upgrade 1.5.4 → 1.6.0 on bookinfo
        world: bookinfo            # the embedded default
        istio: 1.5.4               # the release installed before the first step; none for none
        istioctl: 1.6.0            # the release of `istioctl` on the steps' PATH; a step may override it
        steps:
          - name: install the canary
            run: istioctl install --set revision=canary -y     # a shell command; kubectl and istioctl on PATH
            expect:
              exit: 0
              stdout: {contains: "Installation complete"}      # also: matches (regex), equals, lacks
          - run: kubectl label namespace default istio-injection- istio.io/rev=canary
          - run: kubectl rollout restart deployment
          - name: every bookinfo proxy on the canary
            expect:
              proxies: {namespace: default, revision: canary, version: 1.6.0, status: SYNCED, count: 6}
              within: 60s          # poll until the expectation holds, or fail when the time is up

        """

    @Test func theIssuesExampleReadsAsDocumented() throws {
        let s = try ScenarioParser.parse(Self.example, file: "example.yaml")
        #expect(s.name == "Canary upgrade 1.5.4 → 1.6.0 on bookinfo")
        #expect(s.world == .bookinfo)
        #expect(s.istio == .v1_5_4)
        #expect(s.istioctl == .v1_6_0)
        #expect(s.steps.count == 4)
        #expect(s.steps[0].expect.exit == 0)
        #expect(s.steps[0].expect.stdout == [.contains("Installation complete")])
        #expect(s.steps[0].line == 6)
        #expect(s.steps[1].name == "kubectl label namespace default istio-injection- istio.io/rev=canary")
        #expect(s.steps[1].timeout == .seconds(300))
        #expect(s.steps[3].run == nil)
        #expect(
            s.steps[3].expect.proxies == [
                ProxyExpectation(selection: Selection(namespace: "default"), revision: "canary", version: "1.6.0", status: .synced, count: 6)
            ])
        #expect(s.steps[3].expect.within == .seconds(60))
    }

    @Test func noneInstallsNothingAndStepsOverrideIstioctl() throws {
        let s = try ScenarioParser.parse(
            """
            name: n
            istio: none
            istioctl: 1.7.0
            steps:
              - {run: istioctl version, istioctl: 1.8.1, timeout: 1m30s}
              - expect: {pods: {selector: "app=details", ready: true}, webhook: {namespace: default, labels: {sidecar.istio.io/inject: "false"}, revision: none}}
              - expect: {nacks: [{revision: canary, count: 0}], events: {reason: FailedCreate, object: replicaset/details-v1, message: {matches: "no endpoints"}}}
            """, file: "f.yaml")
        #expect(s.istio == nil)
        #expect(s.steps[0].istioctl == IstioVersion("1.8.1"))
        #expect(s.steps[0].timeout == .seconds(90))
        #expect(s.istioctlReleases == [IstioVersion("1.7.0")!, IstioVersion("1.8.1")!])
        #expect(s.steps[1].expect.webhook == [WebhookExpectation(namespace: "default", labels: ["sidecar.istio.io/inject": "false"], revision: "none")])
        #expect(s.steps[2].expect.nacks == [NackExpectation(revision: "canary", count: 0)])
        #expect(s.steps[2].expect.events.first?.object == "replicaset/details-v1")
    }

    /// Each bad file, and the one line it is refused with.
    @Test(arguments: [
        (
            "name: n\nsteps:\n  - run: x\n    exepct: {exit: 0}\n",
            "bad.yaml:4: unknown key \"exepct\" in a step; allowed: name, run, istioctl, timeout, expect"
        ),
        (
            "name: n\nistio: 1.5.4\nsteps:\n  - name: only a name\n",
            "bad.yaml:4: step 1 needs run (a shell command) or expect (what must hold), or both"
        ),
        (
            "name: n\nsteps:\n  - run: x\n    expect: {exit: zero}\n",
            "bad.yaml:4: exit must be an exit status from 0 to 255, not zero"
        ),
        (
            "name: n\nsteps:\n  - expect:\n      proxies: {count: -1}\n",
            "bad.yaml:4: count must be a whole number ≥ 0, not -1"
        ),
        (
            "name: n\nsteps:\n  - expect:\n      proxies: {status: READY}\n",
            "bad.yaml:4: status must be one of SYNCED, STALE, NOT CONNECTED, not READY"
        ),
        (
            "name: n\nsteps: go\n",
            "bad.yaml:2: steps must be a non-empty list of steps"
        ),
        (
            "name: n\nsteps:\n  - run: [kubectl, get]\n",
            "bad.yaml:3: run must be a string, not a list"
        ),
        (
            "name: n\nsteps:\n  - run: x\n    timeout: 10\n",
            "bad.yaml:4: timeout must be a duration such as 500ms, 60s, 5m or 1m30s; not 10"
        ),
        (
            "name: n\nistioctl: latest\nsteps:\n  - run: x\n",
            "bad.yaml:2: istioctl must be an Istio release such as 1.6.0; not latest"
        ),
        (
            "name: n\nworld: {from: dump.yaml}\nsteps:\n  - run: x\n",
            "bad.yaml:2: world.from: no such file dump.yaml"
        ),
        (
            "name: n\nworld: minikube\nsteps:\n  - run: x\n",
            "bad.yaml:2: world must be bookinfo or {from: FILE}, not minikube"
        ),
        (
            "name: n\nsteps:\n  - expect: {stdout: {has: x}}\n",
            "bad.yaml:3: unknown key \"has\" in stdout; allowed: contains, matches, equals, lacks"
        ),
        (
            "name: n\nsteps:\n  - expect: {pods: {selector: \"app in (\"}}\n",
            "bad.yaml:3: selector app in ( is not a label selector: unable to parse requirement: found '', expected: ',', ')' or identifier"
        ),
        (
            "steps:\n  - run: x\n",
            "bad.yaml:1: a scenario needs a name"
        ),
        (
            "name: n\nsteps:\n  - run: x\n  run: y\n",
            "bad.yaml:4: not YAML: did not find expected '-' indicator"
        ),
    ])
    func badFilesAreRefusedWithLineAndWhatIsAllowed(text: String, message: String) {
        #expect(throws: ScenarioError.self) { try ScenarioParser.parse(text, file: "bad.yaml") }
        do {
            _ = try ScenarioParser.parse(text, file: "bad.yaml")
        } catch {
            #expect(error.description == message)
        }
    }

    @Test func durationsFollowGoSyntaxWithoutFractions() {
        #expect(ScenarioParser.duration("500ms") == .milliseconds(500))
        #expect(ScenarioParser.duration("1m30s") == .seconds(90))
        #expect(ScenarioParser.duration("2h") == .seconds(7200))
        #expect(ScenarioParser.duration("1.5s") == nil)
        #expect(ScenarioParser.duration("60") == nil)
        #expect(ScenarioParser.duration("") == nil)
    }

    /// Every bundled scenario reads, before `make rehearse` runs them.
    @Test func theBundledScenariosRead() throws {
        let (scenarios, errors) = ScenarioLoader.load([Self.scenariosDirectory])
        #expect(errors.isEmpty, "\(errors)")
        #expect(scenarios.count >= 8)
        #expect(scenarios.contains { $0.name.contains("1.5.4 → 1.6.0") })
    }

    @Test func aDirectoryWithoutScenariosAndAMissingFileAreRefused() throws {
        let dir = NSTemporaryDirectory() + "/rehearse-empty-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let (_, errors) = ScenarioLoader.load([dir, dir + "/missing.yaml"])
        #expect(errors.map(\.message) == ["no scenario files (*.yaml, *.yml) in this directory", "no such file or directory"])
    }

    static var scenariosDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scenarios").path
    }
}
