import Foundation
import JSON
import Kubernetes
import TestKit
import Testing

/// What the real kubectl shows of the events a rollout records: `get events` (and `-w`),
/// `kubectl events`, the Events section of `describe`, and the events.k8s.io/v1 view.
@Suite(.serialized)
struct EventsKubectlTests {
    /// A table line's cells: kubectl pads columns with at least two spaces (messages keep theirs).
    static func cells(_ line: String) -> [String] {
        line.components(separatedBy: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    struct Rollout {
        var oldRS: String, newRS: String, oldPod: String, newPod: String
    }

    /// Restarts details-v1 and steps until the old pod is gone. The default world's own events,
    /// recorded as it was built, expire within these steps (an hour after they were written).
    static func restart(_ h: KubectlHarness) async throws -> Rollout {
        let world = h.cluster.world
        let oldPod = try #require(world.pods(in: "default").first { $0.name.hasPrefix("details-v1-") }?.name)
        let oldRS = try #require(world.list(.replicaSets, namespace: "default").first { $0.name.hasPrefix("details-v1-") }?.name)
        let restart = try await h.kubectl("rollout", "restart", "deployment", "details-v1")
        #expect(restart.status == 0, "\(restart)")
        try await h.advance(steps: 10)
        let after = h.cluster.world
        let newPod = try #require(after.pods(in: "default").first { $0.name.hasPrefix("details-v1-") }?.name)
        let newRS = try #require(
            after.list(.replicaSets, namespace: "default").first { $0.name.hasPrefix("details-v1-") && $0.name != oldRS }?.name)
        #expect(after.get(ObjectKey(.pods, namespace: "default", name: oldPod)) == nil)
        return Rollout(oldRS: oldRS, newRS: newRS, oldPod: oldPod, newPod: newPod)
    }

    /// (TYPE, REASON, OBJECT, MESSAGE) of a rollout of details-v1, in the order they happen.
    static func expected(_ r: Rollout) -> [[String]] {
        [
            ["Normal", "ScalingReplicaSet", "deployment/details-v1", "Scaled up replica set \(r.newRS) from 0 to 1"],
            ["Normal", "SuccessfulCreate", "replicaset/\(r.newRS)", "Created pod: \(r.newPod)"],
            ["Normal", "Scheduled", "pod/\(r.newPod)", "Successfully assigned default/\(r.newPod) to xdsemu-node"],
            ["Normal", "Pulled", "pod/\(r.newPod)", "Container image \"docker.io/istio/examples-bookinfo-details-v1:1.16.2\" already present on machine"],
            ["Normal", "Created", "pod/\(r.newPod)", "Created container: details"],
            ["Normal", "Started", "pod/\(r.newPod)", "Started container details"],
            ["Normal", "ScalingReplicaSet", "deployment/details-v1", "Scaled down replica set \(r.oldRS) from 1 to 0"],
            ["Normal", "SuccessfulDelete", "replicaset/\(r.oldRS)", "Deleted pod: \(r.oldPod)"],
            ["Normal", "Killing", "pod/\(r.oldPod)", "Stopping container details"],
        ]
    }

    @Test func getEventsShowsARolloutRestart() async throws {
        let h = try await KubectlHarness.start()
        let r = try await Self.restart(h)
        let get = try await h.kubectl("get", "events")
        #expect(get.status == 0, "\(get)")
        let rows = get.lines.map(Self.cells)
        #expect(rows.first == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"], "\(get)")
        let seen = rows.dropFirst().map { Array($0.dropFirst()) }
        #expect(Set(seen) == Set(Self.expected(r)), "\(get)")
        #expect(rows.dropFirst().allSatisfy { $0[0].hasSuffix("s") && Int($0[0].dropLast()) != nil }, "\(get)")

        // -o wide adds SUBOBJECT, SOURCE, FIRST SEEN, COUNT, NAME.
        let wide = try await h.kubectl("get", "events", "-o", "wide", "--field-selector", "reason=Killing")
        let wideRows = wide.lines.map(Self.cells)
        #expect(wideRows.first == ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT", "NAME"], "\(wide)")
        #expect(wideRows.count == 2 && wideRows[1][4] == "spec.containers{details}" && wideRows[1][5] == "kubelet, xdsemu-node", "\(wide)")
        #expect(wideRows.last?[8] == "1" && wideRows.last?[9].hasPrefix("\(r.oldPod).") == true, "\(wide)")

        let podsByReason = try await h.kubectl("get", "pods", "--field-selector", "reason=Killing")
        #expect(
            podsByReason.stderr
                == "Error from server (BadRequest): Unable to find \"/v1, Resource=pods\" that match label selector \"\", field selector \"reason=Killing\": field label not supported: reason\n",
            "\(podsByReason)")
        let eventsByPhase = try await h.kubectl("get", "events", "--field-selector", "status.phase=Running")
        #expect(
            eventsByPhase.stderr
                == "Error from server (BadRequest): Unable to find \"/v1, Resource=events\" that match label selector \"\", field selector \"status.phase=Running\": field label not supported: status.phase\n",
            "\(eventsByPhase)")

        // The events command asks for one object's events with a field selector.
        let events = try await h.kubectl("events", "--for", "pod/\(r.newPod)")
        #expect(events.lines.map(Self.cells).dropFirst().map { $0[2] } == ["Scheduled", "Pulled", "Created", "Started"], "\(events)")
        await h.stop()
    }

    @Test func describeShowsEachObjectsEvents() async throws {
        let h = try await KubectlHarness.start()
        let r = try await Self.restart(h)
        func section(_ kind: String, _ name: String) async throws -> [[String]] {
            let run = try await h.kubectl("describe", kind, name)
            #expect(run.status == 0, "\(run)")
            let lines = run.lines.drop { $0 != "Events:" }.dropFirst(3)
            // Type, Reason, Age, From, Message: Age is dropped, it depends on the step.
            return lines.map { let c = Self.cells($0); return [c[0], c[1], c[3], c[4]] }
        }
        #expect(
            try await section("pod", r.newPod) == [
                ["Normal", "Scheduled", "default-scheduler", "Successfully assigned default/\(r.newPod) to xdsemu-node"],
                ["Normal", "Pulled", "kubelet", "Container image \"docker.io/istio/examples-bookinfo-details-v1:1.16.2\" already present on machine"],
                ["Normal", "Created", "kubelet", "Created container: details"],
                ["Normal", "Started", "kubelet", "Started container details"],
            ])
        #expect(try await section("rs", r.newRS) == [["Normal", "SuccessfulCreate", "replicaset-controller", "Created pod: \(r.newPod)"]])
        #expect(
            try await section("deployment", "details-v1") == [
                ["Normal", "ScalingReplicaSet", "deployment-controller", "Scaled up replica set \(r.newRS) from 0 to 1"],
                ["Normal", "ScalingReplicaSet", "deployment-controller", "Scaled down replica set \(r.oldRS) from 1 to 0"],
            ])
        await h.stop()
    }

    @Test func getEventsWatchShowsTheRolloutAsItHappens() async throws {
        let h = try await KubectlHarness.start()
        try await h.advance(steps: 10)  // the default world's own events expire
        // The emulator's own subscribers are up by now; one more is kubectl's watch.
        let baseline = h.cluster.subscriberCount
        let watch = try h.launch(["get", "events", "-w"])
        try await eventually("\(watch.result)", timeout: .seconds(30)) { h.cluster.subscriberCount == baseline + 1 }
        let r = try await Self.restart(h)
        let expected = Self.expected(r)
        try await eventually("\(watch.result)", timeout: .seconds(30)) { watch.stdout.contains("Stopping container details") }
        await watch.stop()
        let rows = watch.stdout.split(separator: "\n").map { Self.cells(String($0)) }.filter { $0.first != "LAST SEEN" }
        #expect(rows.map { Array($0.dropFirst()) } == expected, "\(watch.stdout)")
        await h.stop()
    }

    @Test func theEventsAPIServesTheSameEvents() async throws {
        let h = try await KubectlHarness.start()
        let r = try await Self.restart(h)
        let v1 = try await h.kubectl("get", "events.v1.events.k8s.io", "--field-selector", "regarding.name=\(r.oldPod)", "-o", "json")
        let items = try JSONValue(parsing: v1.stdout)["items"]?.arrayValue ?? []
        #expect(items.count == 1, "\(v1)")
        let killing = try #require(items.first)
        #expect(killing["apiVersion"] == "events.k8s.io/v1" && killing["note"] == "Stopping container details", "\(v1)")
        #expect(killing["regarding"]?["name"] == .string(r.oldPod) && killing["regarding"]?["fieldPath"] == "spec.containers{details}")
        #expect(killing["deprecatedCount"] == 1 && killing["reportingController"] == "kubelet" && killing["reportingInstance"] == "xdsemu-node")
        #expect(killing["deprecatedSource"] == ["component": "kubelet", "host": "xdsemu-node"])
        #expect(killing["deprecatedFirstTimestamp"] != nil && killing["message"] == nil && killing["involvedObject"] == nil)
        let name = try #require(killing["metadata"]?["name"]?.stringValue)
        let core = try await h.kubectl("get", "event", name, "-o", "jsonpath={.message}|{.involvedObject.name}|{.count}")
        #expect(core.stdout == "Stopping container details|\(r.oldPod)|1", "\(core)")

        // Written through events.k8s.io, read through core/v1, and the other way round.
        let uid = try #require(h.cluster.world.get(ObjectKey(.pods, namespace: "default", name: r.newPod))?.metadata.uid)
        let manifest = """
            apiVersion: events.k8s.io/v1
            kind: Event
            metadata: {name: hello, namespace: default}
            eventTime: "2026-01-01T00:00:00.000000Z"
            reportingController: example.com/tester
            reportingInstance: tester-1
            action: Testing
            reason: Hello
            note: hi there
            type: Normal
            regarding: {kind: Pod, name: \(r.newPod), namespace: default, uid: \(uid)}
            """
        let create = try await h.kubectl("create", "-f", "-", input: manifest)
        #expect(create.stdout == "event.events.k8s.io/hello created\n", "\(create)")
        let read = try await h.kubectl("get", "event", "hello", "-o", "jsonpath={.message}|{.involvedObject.name}|{.reportingComponent}|{.action}")
        #expect(read.stdout == "hi there|\(r.newPod)|example.com/tester|Testing", "\(read)")
        let patch = try await h.kubectl("patch", "events.v1.events.k8s.io", "hello", "--type", "merge", "-p", #"{"note":"changed"}"#)
        #expect(patch.stdout == "event.events.k8s.io/hello patched\n", "\(patch)")
        let patched = try await h.kubectl("get", "event", "hello", "-o", "jsonpath={.message}")
        #expect(patched.stdout == "changed", "\(patched)")
        let described = try await h.kubectl("describe", "pod", r.newPod)
        let hello = described.lines.map(Self.cells).first { $0.count == 5 && $0[1] == "Hello" }
        #expect(hello.map { [$0[0], $0[3], $0[4]] } == ["Normal", "example.com/tester", "changed"], "\(described)")
        let delete = try await h.kubectl("delete", "events.v1.events.k8s.io", "hello")
        #expect(delete.stdout == "event.events.k8s.io \"hello\" deleted\n", "\(delete)")
        let gone = try await h.kubectl("get", "event", "hello")
        #expect(gone.stderr == "Error from server (NotFound): events \"hello\" not found\n", "\(gone)")

        let resources = try await h.kubectl("api-resources", "--api-group", "events.k8s.io", "--no-headers")
        #expect(resources.lines.map(columns) == [["events", "ev", "events.k8s.io/v1", "true", "Event"]], "\(resources)")
        await h.stop()
    }
}
