import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

/// The injection matrix (docs/istio-facts.md §4): which revision injects a new pod, for every label
/// combination that matters, under the selectors each release renders.
struct InjectionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var revisions: [(name: String, version: IstioVersion)]
        var tags: [(tag: String, revision: String)] = []
        var namespace = "default"
        var namespaceLabels: [String: String]
        var podLabels: [String: String] = [:]
        var podAnnotations: [String: String] = [:]
        /// The injecting revision, or nil.
        var expected: String?
        var reason: String
        var testDescription: String { name }
    }

    static let v154 = IstioVersion.v1_5_4
    static let v160 = IstioVersion.v1_6_0
    static let v1100 = IstioVersion(1, 10, 0)
    static let v1120 = IstioVersion(1, 12, 0)
    /// The seed: 1.5.4 default plus a 1.6.0 canary.
    static let seed: [(name: String, version: IstioVersion)] = [("default", v154), ("canary", v160)]
    static let modern: [(name: String, version: IstioVersion)] = [("default", v1100), ("canary", v1100)]
    /// 1.6: only namespace labels select (object selectors are off), and `istio.io/rev=default` does not.
    static let nothing = "No matching namespace labels (istio-injection=enabled, istio.io/rev=canary)"
    static let nothingModern = "No matching namespace labels (istio.io/rev=default, istio-injection=enabled, istio.io/rev=canary) or pod labels (istio.io/rev=default, sidecar.istio.io/inject=true, istio.io/rev=canary)"

    static let cases: [Case] = [
        // 1.6 era (legacy selectors, namespace labels only).
        Case(name: "1.6: istio-injection=enabled → default", revisions: seed, namespaceLabels: ["istio-injection": "enabled"],
             expected: "default", reason: "Namespace label istio-injection=enabled matches"),
        Case(name: "1.6: istio.io/rev=canary → canary", revisions: seed, namespaceLabels: ["istio.io/rev": "canary"],
             expected: "canary", reason: "Namespace label istio.io/rev=canary matches"),
        Case(name: "1.6: both labels → default wins", revisions: seed,
             namespaceLabels: ["istio-injection": "enabled", "istio.io/rev": "canary"],
             expected: "default", reason: "Namespace label istio-injection=enabled matches"),
        Case(name: "1.6: disabled + rev → none", revisions: seed,
             namespaceLabels: ["istio-injection": "disabled", "istio.io/rev": "canary"], expected: nil, reason: nothing),
        Case(name: "1.6: istio.io/rev=default → none before 1.10", revisions: seed, namespaceLabels: ["istio.io/rev": "default"],
             expected: nil, reason: nothing),
        Case(name: "1.6: no labels → none", revisions: seed, namespaceLabels: [:], expected: nil, reason: nothing),
        Case(name: "1.6: pod annotation inject=false opts out", revisions: seed, namespaceLabels: ["istio-injection": "enabled"],
             podAnnotations: ["sidecar.istio.io/inject": "false"], expected: nil,
             reason: "Pod has sidecar.istio.io/inject=false annotation"),
        Case(name: "1.6: pod annotation inject=no opts out", revisions: seed, namespaceLabels: ["istio.io/rev": "canary"],
             podAnnotations: ["sidecar.istio.io/inject": "no"], expected: nil,
             reason: "Pod has sidecar.istio.io/inject=no annotation"),
        Case(name: "1.6: pod label inject=false is not read (object selector off)", revisions: seed,
             namespaceLabels: ["istio-injection": "enabled"], podLabels: ["sidecar.istio.io/inject": "false"],
             expected: "default", reason: "Namespace label istio-injection=enabled matches"),
        Case(name: "1.6: pod-level istio.io/rev does nothing", revisions: seed, namespaceLabels: [:],
             podLabels: ["istio.io/rev": "canary"], expected: nil, reason: nothing),
        Case(name: "1.6: kube-system is ignored", revisions: seed, namespace: "kube-system",
             namespaceLabels: ["istio-injection": "enabled"], expected: nil, reason: "Namespace kube-system is ignored by the injector"),
        Case(name: "1.5 revision: istio-injection=enabled + rev → default (configurations run in name order)",
             revisions: [("default", v154), ("canary", v154)], namespaceLabels: ["istio-injection": "enabled", "istio.io/rev": "canary"],
             expected: "default", reason: "Namespace label istio-injection=enabled matches"),
        Case(name: "1.5 revision: NotIn disabled lets a stray istio-injection value through",
             revisions: [("default", v154), ("canary", v154)], namespaceLabels: ["istio-injection": "no", "istio.io/rev": "canary"],
             expected: "canary", reason: "Namespace label istio.io/rev=canary matches"),
        // 1.10+: revision selectors on pods too, and `istio.io/rev=default`.
        Case(name: "1.10: pod istio.io/rev=canary → canary", revisions: modern, namespaceLabels: [:],
             podLabels: ["istio.io/rev": "canary"], expected: "canary", reason: "Pod label istio.io/rev=canary matches"),
        Case(name: "1.10: namespace istio.io/rev=default → default", revisions: modern, namespaceLabels: ["istio.io/rev": "default"],
             expected: "default", reason: "Namespace label istio.io/rev=default matches"),
        Case(name: "1.10: namespace rev wins over pod rev", revisions: modern, namespaceLabels: ["istio.io/rev": "canary"],
             podLabels: ["istio.io/rev": "default"], expected: "canary", reason: "Namespace label istio.io/rev=canary matches"),
        Case(name: "1.10: istio-injection=enabled beats pod rev", revisions: modern, namespaceLabels: ["istio-injection": "enabled"],
             podLabels: ["istio.io/rev": "canary"], expected: "default", reason: "Namespace label istio-injection=enabled matches"),
        Case(name: "1.10: pod label inject=true opts in", revisions: modern, namespaceLabels: [:],
             podLabels: ["sidecar.istio.io/inject": "true"], expected: "default", reason: "Pod label sidecar.istio.io/inject=true matches"),
        Case(name: "1.10: pod label inject=false opts out", revisions: modern, namespaceLabels: ["istio-injection": "enabled"],
             podLabels: ["sidecar.istio.io/inject": "false"], expected: nil, reason: "Pod has sidecar.istio.io/inject=false label"),
        Case(name: "1.10: istio-injection=disabled blocks pod rev", revisions: modern, namespaceLabels: ["istio-injection": "disabled"],
             podLabels: ["istio.io/rev": "canary"], expected: nil, reason: nothingModern),
        // Tags.
        Case(name: "tag prod → canary", revisions: modern, tags: [("prod", "canary")], namespaceLabels: ["istio.io/rev": "prod"],
             expected: "canary", reason: "Namespace label istio.io/rev=prod matches (tag prod → revision canary)"),
        Case(name: "1.12 default tag takes istio-injection=enabled", revisions: [("default", v1120), ("canary", v1120)],
             tags: [("default", "canary")], namespaceLabels: ["istio-injection": "enabled"], expected: "canary",
             reason: "Namespace label istio-injection=enabled matches (tag default → revision canary)"),
    ]

    @Test(arguments: cases) func decides(_ c: Case) {
        let d = InjectionDecision.decide(
            namespace: c.namespace, namespaceLabels: c.namespaceLabels, podLabels: c.podLabels, podAnnotations: c.podAnnotations,
            revisions: c.revisions, tags: c.tags)
        #expect(d.revision == c.expected)
        #expect(d.reason == c.reason)
        if let expected = c.expected {
            let version = c.revisions.first { $0.name == expected }?.version
            #expect(d.version == version)
        }
    }

    /// Every combination of the three labels that matter in 1.6, against the rule as the docs
    /// state it: istio-injection=enabled → default; else istio.io/rev=canary with no
    /// istio-injection → canary; else nothing.
    @Test func seedMatrixIsExhaustive() {
        let injection: [String?] = [nil, "enabled", "disabled"]
        let rev: [String?] = [nil, "canary", "default", "other"]
        let opt: [String?] = [nil, "false", "true"]
        for i in injection {
            for r in rev {
                for o in opt {
                    var ns: [String: String] = [:]
                    ns["istio-injection"] = i
                    ns["istio.io/rev"] = r
                    var annotations: [String: String] = [:]
                    annotations["sidecar.istio.io/inject"] = o
                    let d = InjectionDecision.decide(namespaceLabels: ns, podAnnotations: annotations, revisions: Self.seed)
                    var expected: String? = i == "enabled" ? "default" : (i == nil && r == "canary" ? "canary" : nil)
                    if o == "false" { expected = nil }
                    #expect(d.revision == expected, "ns \(ns), annotation \(o ?? "-")")
                }
            }
        }
    }
}

struct RevisionNameTests {
    @Test(arguments: [
        ("canary", "1.6.0", RevisionNameCheck.valid),
        ("v160", "1.6.0", .valid),
        ("1-6-0", "1.6.0", .valid),
        ("v1.6.0", "1.6.0", .failsWhileRendering(
            detail: "path [Deployment:istiod-v1.6.0].spec.strategy has an unexpected first element [Deployment:istiod-v1 in OverlayK8sSettings")),
        ("v1.6", "1.6.2", .failsWhileRendering(
            detail: "path [Deployment:istiod-v1.6].spec.strategy has an unexpected first element [Deployment:istiod-v1 in OverlayK8sSettings")),
        ("1.8.0", "1.8.2", .failsWhileRendering(
            detail: "path [Deployment:istiod-1.8.0].spec.strategy has an unexpected first element [Deployment:istiod-1 in OverlayK8sSettings")),
        ("v1.6.0", "1.9.0", .rejected(message: "invalid revision specified: v1.6.0")),
        ("Canary", "1.9.0", .valid),  // Istio's own IsDNS1123Label allows upper case
        ("canary_1", "1.10.0", .rejected(message: "invalid revision specified: canary_1")),
        ("1-9-5", "1.9.5", .valid),
    ])
    func check(_ name: String, _ version: String, _ expected: RevisionNameCheck) {
        #expect(RevisionName.check(name, istioctl: IstioVersion(version)!) == expected)
    }
}
