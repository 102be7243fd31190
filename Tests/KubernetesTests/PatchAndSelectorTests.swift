import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

struct JSONPatchTests {
    @Test func mergePatchNullDeletesAndObjectsMerge() {
        let target: JSONValue = ["metadata": ["labels": ["a": "1", "b": "2"]], "spec": ["replicas": 1]]
        let patch: JSONValue = ["metadata": ["labels": ["a": nil, "c": "3"]], "spec": ["replicas": 2]]
        #expect(
            JSONPatch.merge(target, patch)
                == ["metadata": ["labels": ["b": "2", "c": "3"]], "spec": ["replicas": 2]])
    }

    /// What `kubectl label namespace default istio-injection- istio.io/rev=canary` sends.
    @Test func strategicMergeOfLabels() throws {
        let ns: JSONValue = ["metadata": ["name": "default", "labels": ["istio-injection": "enabled"]]]
        let patch: JSONValue = ["metadata": ["labels": ["istio-injection": nil, "istio.io/rev": "canary"]]]
        #expect(try JSONPatch.strategicMerge(ns, patch) == ["metadata": ["name": "default", "labels": ["istio.io/rev": "canary"]]])
    }

    /// What `kubectl rollout restart` sends.
    @Test func strategicMergeOfTheRestartAnnotation() throws {
        let d: JSONValue = ["spec": ["template": ["metadata": ["labels": ["app": "x"]], "spec": ["containers": [["name": "x", "image": "i"]]]]]]
        let patch: JSONValue = ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"]]]]]
        let out = try JSONPatch.strategicMerge(d, patch)
        #expect(out[path: ["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"]] == "2026-01-01T00:00:00Z")
        #expect(out[path: ["spec", "template", "metadata", "labels"]] == ["app": "x"])
        #expect(out[path: ["spec", "template", "spec", "containers"]] == [["name": "x", "image": "i"]])
    }

    @Test func strategicMergeMergesContainersByNameAndHonoursDelete() throws {
        let spec: JSONValue = ["containers": [["name": "a", "image": "a:1"], ["name": "b", "image": "b:1"]]]
        let patch: JSONValue = [
            "$setElementOrder/containers": [["name": "a"], ["name": "c"]],
            "containers": [["name": "a", "image": "a:2"], ["name": "b", "$patch": "delete"], ["name": "c", "image": "c:1"]],
        ]
        #expect(
            try JSONPatch.strategicMerge(spec, patch)
                == ["containers": [["name": "a", "image": "a:2"], ["name": "c", "image": "c:1"]]])
    }

    @Test func strategicMergeReplacesPrimitiveLists() throws {
        #expect(try JSONPatch.strategicMerge(["args": ["a", "b"]], ["args": ["c"]]) == ["args": ["c"]])
    }

    @Test func strategicMergeRejectsAListItemWithoutItsMergeKey() {
        #expect(throws: JSONPatch.PatchError.self) {
            try JSONPatch.strategicMerge(["containers": [["name": "a"]]], ["containers": [["image": "x"]]])
        }
    }

    @Test func canonicalJSONSortsKeysAndEscapesLikeGo() {
        let v: JSONValue = ["b": 1, "a": ["x": true, "y": nil], "c": "<&>\"\n", "d": .double(1.5), "e": .double(2)]
        #expect(v.canonicalJSON == #"{"a":{"x":true,"y":null},"b":1,"c":"\u003c\u0026\u003e\"\n","d":1.5,"e":2}"#)
    }
}

struct LabelSelectorTests {
    static let labels = ["app": "details", "version": "v1", "istio.io/rev": "canary"]

    static let cases: [(String, Bool)] = [
        ("", true), ("app=details", true), ("app==details", true), ("app=reviews", false),
        ("app!=reviews", true), ("app=details,version=v2", false), ("version in (v1,v2)", true),
        ("version notin (v1)", false), ("istio.io/rev", true), ("!istio-injection", true), ("!app", false),
        ("app=details, version in (v1, v3)", true),
    ]

    @Test(arguments: cases)
    func parsesAndMatches(selector: String, matches: Bool) throws {
        #expect(try LabelSelector(parsing: selector).matches(Self.labels) == matches)
    }

    @Test func objectFormWithExpressions() throws {
        let json: JSONValue = [
            "matchLabels": ["app": "details"],
            "matchExpressions": [["key": "istio-injection", "operator": "DoesNotExist"], ["key": "version", "operator": "In", "values": ["v1"]]],
        ]
        #expect(try LabelSelector(json: json).matches(Self.labels))
        #expect(throws: WorldError.self) { try LabelSelector(json: ["matchExpressions": [["key": "a", "operator": "Near"]]]) }
    }

    @Test func fieldSelectorsOnNameAndPhase() throws {
        let pod = KubeObject(resource: .pods, metadata: ObjectMeta(name: "p", namespace: "default"), body: ["status": ["phase": "Running"]])
        #expect(try FieldSelector(parsing: "metadata.name=p").matches(pod))
        #expect(try !FieldSelector(parsing: "metadata.name=q").matches(pod))
        #expect(try FieldSelector(parsing: "status.phase!=Pending,metadata.namespace=default").matches(pod))
        #expect(throws: WorldError.self) { try FieldSelector(parsing: "spec.color=red") }
    }
}

struct JSONPatchOperationTests {
    static let doc: JSONValue = ["spec": ["replicas": 1, "ports": [["port": 80], ["port": 443]]], "metadata": ["labels": ["a/b": "1"]]]

    @Test func operationsApplyInOrder() throws {
        let ops: JSONValue = [
            ["op": "replace", "path": "/spec/replicas", "value": 3],
            ["op": "add", "path": "/spec/ports/-", "value": ["port": 8080]],
            ["op": "remove", "path": "/spec/ports/0"],
            ["op": "remove", "path": "/metadata/labels/a~1b"],
            ["op": "test", "path": "/spec/replicas", "value": 3],
            ["op": "copy", "from": "/spec/replicas", "path": "/spec/copied"],
        ]
        let out = try JSONPatch.apply(operations: ops, to: Self.doc)
        #expect(out == ["spec": ["replicas": 3, "copied": 3, "ports": [["port": 443], ["port": 8080]]], "metadata": ["labels": .object([:])]])
    }

    @Test(arguments: [
        JSONValue.array([["op": "replace", "path": "/spec/missing", "value": 1]]),
        [["op": "test", "path": "/spec/replicas", "value": 2]],
        [["op": "jump", "path": "/spec"]],
        [["op": "add", "path": "/spec/ports/9", "value": 1]],
        ["op": "add"],
    ])
    func badOperationsAreRefused(ops: JSONValue) {
        #expect(throws: JSONPatch.PatchError.self) { try JSONPatch.apply(operations: ops, to: Self.doc) }
    }
}
