import Foundation
import JSON
import Kubernetes
import KubeRuntime
import Istio
import TestKit
import Testing

/// The real kubectl 1.32 against an in-process emulator (a fresh default world per test, time
/// driven by a manual clock). Serialized: each test starts its own server and several kubectls.
@Suite(.serialized)
struct KubectlTests {
    static let bookinfo = ["details-v1", "productpage-v1", "ratings-v1", "reviews-v1", "reviews-v2", "reviews-v3"]

    @Test func getPodsAllNamespaces() async throws {
        let h = try await KubectlHarness.start()
        let run = try await h.kubectl("get", "pods", "-A")
        #expect(run.status == 0, "\(run)")
        let lines = run.lines
        #expect(columns(lines.first ?? "") == ["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        #expect(lines.count == 7, "\(run)")
        for (line, deployment) in zip(lines.dropFirst(), Self.bookinfo) {
            let c = columns(line)
            #expect(c.count == 6, "\(line)")
            guard c.count == 6 else { continue }
            #expect(c[0] == "default")
            #expect(isPodName(c[1], of: deployment), "\(c[1])")
            #expect(Array(c[2...]) == ["1/1", "Running", "0", "60m"], "\(line)")
        }
        await h.stop()
    }

    @Test func labelNamespaceForCanary() async throws {
        let h = try await KubectlHarness.start()
        let before = try await h.kubectl("get", "namespaces", "default", "--show-labels")
        #expect(before.lines == ["NAME      STATUS   AGE   LABELS", "default   Active   60m   istio-injection=enabled"], "\(before)")

        let label = try await h.kubectl("label", "namespace", "default", "istio-injection-", "istio.io/rev=canary")
        #expect(label.status == 0, "\(label)")
        // kubectl ≥ 1.23 says `unlabeled` because the object's JSON got shorter (docs/istio-facts.md §9.2).
        #expect(label.stdout == "namespace/default unlabeled\n", "\(label)")

        let after = try await h.kubectl("get", "namespaces", "default", "--show-labels")
        #expect(after.lines == ["NAME      STATUS   AGE   LABELS", "default   Active   60m   istio.io/rev=canary"], "\(after)")
        #expect(h.cluster.world.namespaceLabels("default") == ["istio.io/rev": "canary"])

        // Adding an existing key without --overwrite is refused by kubectl itself.
        let again = try await h.kubectl("label", "namespace", "default", "istio.io/rev=other")
        #expect(again.status != 0)
        #expect(again.stderr.contains("'istio.io/rev' already has a value (canary), and --overwrite is false"), "\(again)")
        await h.stop()
    }

    @Test func rolloutRestartReplacesEveryBookinfoPod() async throws {
        let h = try await KubectlHarness.start()
        let oldPods = Set(h.cluster.world.pods(in: "default").map(\.name))
        let restart = try await h.kubectl("rollout", "restart", "deployment")
        #expect(restart.status == 0, "\(restart)")
        #expect(restart.lines == Self.bookinfo.map { "deployment.apps/\($0) restarted" })

        // New pods exist at once (Pending), the old ones still run: maxSurge 1, maxUnavailable 0.
        let during = try await h.kubectl("get", "pods")
        #expect(during.lines.count == 13, "\(during)")
        let pending = during.lines.dropFirst().filter { columns($0)[2] == "Pending" }
        #expect(pending.count == 6, "\(during)")

        try await h.advance(steps: 4)  // scheduled → ContainerCreating → Running → Ready
        let rolling = try await h.kubectl("get", "pods")
        let terminating = rolling.lines.dropFirst().filter { columns($0)[2] == "Terminating" }
        #expect(terminating.count == 6, "\(rolling)")
        #expect(Set(terminating.map { columns($0)[0] }) == oldPods)

        try await h.advance(steps: 2)
        let done = try await h.kubectl("get", "pods")
        #expect(done.lines.count == 7, "\(done)")
        for (line, deployment) in zip(done.lines.dropFirst(), Self.bookinfo) {
            let c = columns(line)
            #expect(isPodName(c[0], of: deployment), "\(line)")
            #expect(!oldPods.contains(c[0]))
            #expect(Array(c[1...3]) == ["1/1", "Running", "0"], "\(line)")
        }
        await h.stop()
    }

    @Test func getPodsWatchShowsTheRolloutInOrder() async throws {
        let h = try await KubectlHarness.start()
        let oldName = try #require(h.cluster.world.pods(in: "default").first { $0.name.hasPrefix("details-v1-") }?.name)
        let watch = try h.launch(["get", "pods", "-l", "app=details", "-w"])
        try await eventually("\(watch.result)", timeout: .seconds(30)) { watch.stdout.contains(oldName) }

        let restart = try await h.kubectl("rollout", "restart", "deployment", "details-v1")
        #expect(restart.stdout == "deployment.apps/details-v1 restarted\n", "\(restart)")
        try await h.advance(steps: 6)
        let newName = try #require(h.cluster.world.pods(in: "default").first { $0.name.hasPrefix("details-v1-") }?.name)
        #expect(newName != oldName)
        let expected: [(String, String, String)] = [
            (oldName, "1/1", "Running"),
            (newName, "0/1", "Pending"),
            (newName, "0/1", "Pending"),
            (newName, "0/1", "ContainerCreating"),
            (newName, "0/1", "Running"),
            (newName, "1/1", "Running"),
            (oldName, "1/1", "Terminating"),
            (oldName, "0/1", "Terminating"),
            (oldName, "0/1", "Terminating"),
        ]
        try await eventually("\(watch.result)", timeout: .seconds(30)) {
            watch.stdout.split(separator: "\n").count >= expected.count + 1
        }
        await watch.stop()
        let rows = watch.stdout.split(separator: "\n").map { columns(String($0)) }
        #expect(rows.first == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"])
        let seen = rows.dropFirst().map { ($0[0], $0[1], $0[2]) }
        #expect(seen.count == expected.count, "\(watch.stdout)")
        for (s, e) in zip(seen, expected) {
            #expect(s == e, "\(watch.stdout)")
        }
        await h.stop()
    }

    /// A watch whose client went away must not keep its subscription (and task) forever.
    @Test func anAbandonedWatchIsReleased() async throws {
        let h = try await KubectlHarness.start()
        // The emulator's own subscriber (the Istio revisions' fleet) is there before any watch.
        try? await eventually { h.cluster.subscriberCount == 1 }
        let baseline = h.cluster.subscriberCount
        let watch = try h.launch(["get", "pods", "-w"])
        try await eventually { h.cluster.subscriberCount == baseline + 1 }
        await watch.stop()
        try await eventually("subscribers: \(h.cluster.subscriberCount)") { h.cluster.subscriberCount == baseline }
        await h.stop()
    }

    @Test func deleteDeploymentCollectsItsReplicaSetAndPods() async throws {
        let h = try await KubectlHarness.start()
        let delete = try await h.kubectl("delete", "deployment", "reviews-v3")
        #expect(delete.status == 0, "\(delete)")
        #expect(delete.stdout == "deployment.apps \"reviews-v3\" deleted\n", "\(delete)")
        let get = try await h.kubectl("get", "deployment", "reviews-v3")
        #expect(get.status != 0)
        #expect(get.stderr == "Error from server (NotFound): deployments.apps \"reviews-v3\" not found\n", "\(get)")
        let rs = try await h.kubectl("get", "rs", "-l", "app=reviews,version=v3")
        #expect(rs.stderr.contains("No resources found in default namespace."), "\(rs)")
        let pods = try await h.kubectl("get", "pods", "-l", "version=v3")
        #expect(pods.lines.count == 2 && columns(pods.lines[1])[2] == "Terminating", "\(pods)")
        try await h.advance(steps: 2)
        let gone = try await h.kubectl("get", "pods", "-l", "version=v3")
        #expect(gone.stderr.contains("No resources found in default namespace."), "\(gone)")
        await h.stop()
    }

    @Test func getMutatingWebhookConfigurations() async throws {
        let h = try await KubectlHarness.start()
        let empty = try await h.kubectl("get", "mutatingwebhookconfigurations")
        #expect(empty.status == 0)
        #expect(empty.stderr == "No resources found\n", "\(empty)")
        _ = try await h.cluster.create(
            KubeObject(
                resource: .mutatingWebhookConfigurations,
                metadata: ObjectMeta(name: "istio-sidecar-injector", labels: ["app": "sidecar-injector"]),
                body: ["webhooks": [["name": "sidecar-injector.istio.io", "sideEffects": "None"]]]))
        try await h.advance(steps: 2)
        let list = try await h.kubectl("get", "mutatingwebhookconfigurations")
        #expect(list.lines == ["NAME                     WEBHOOKS   AGE", "istio-sidecar-injector   1          2s"], "\(list)")
        let validating = try await h.kubectl("get", "validatingwebhookconfigurations")
        #expect(validating.stderr == "No resources found\n", "\(validating)")
        await h.stop()
    }

    static let sleepYAML = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: sleep
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: sleep
          template:
            metadata:
              labels:
                app: sleep
            spec:
              containers:
              - name: sleep
                image: curlimages/curl:8.1.2
                command: ["/bin/sleep", "infinity"]
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: sleep
          labels:
            app: sleep
        spec:
          ports:
          - port: 80
            name: http
          selector:
            app: sleep
        """

    @Test func applyDeploymentAndService() async throws {
        let h = try await KubectlHarness.start()
        let apply = try await h.kubectl("apply", "-f", "-", input: Self.sleepYAML)
        #expect(apply.status == 0, "\(apply)")
        #expect(apply.stdout == "deployment.apps/sleep created\nservice/sleep created\n", "\(apply)")
        let again = try await h.kubectl("apply", "-f", "-", input: Self.sleepYAML)
        #expect(again.stdout == "deployment.apps/sleep unchanged\nservice/sleep unchanged\n", "\(again)")
        let changed = try await h.kubectl("apply", "-f", "-", input: Self.sleepYAML.replacingOccurrences(of: "replicas: 1", with: "replicas: 2"))
        #expect(changed.stdout == "deployment.apps/sleep configured\nservice/sleep unchanged\n", "\(changed)")
        try await h.advance(steps: 4)
        let pods = try await h.kubectl("get", "pods", "-l", "app=sleep")
        #expect(pods.lines.count == 3, "\(pods)")
        for line in pods.lines.dropFirst() {
            #expect(isPodName(columns(line)[0], of: "sleep"), "\(line)")
            #expect(columns(line)[1...2] == ["1/1", "Running"], "\(line)")
        }
        let svc = try await h.kubectl("get", "svc", "sleep")
        let c = columns(svc.lines.last ?? "")
        #expect(c.count == 6 && c[1] == "ClusterIP" && c[4] == "80/TCP", "\(svc)")
        let service = try #require(h.cluster.world.services(in: "default").first { $0.name == "sleep" })
        #expect(h.cluster.world.endpoints(of: service).count == 2)
        await h.stop()
    }

    /// kubectl's typed `create` commands and `run` send protobuf bodies.
    @Test func typedCreateCommandsAndRun() async throws {
        let h = try await KubectlHarness.start()
        let deployment = try await h.kubectl("create", "deployment", "web", "--image=nginx:1.25", "--port=80", "--replicas=2")
        #expect(deployment.stdout == "deployment.apps/web created\n", "\(deployment)")
        let expose = try await h.kubectl("expose", "deployment", "web", "--port=8080", "--target-port=80")
        #expect(expose.stdout == "service/web exposed\n", "\(expose)")
        let run = try await h.kubectl("run", "client", "--image=busybox", "--labels=app=client", "--env=K=V", "--", "sleep", "3600")
        #expect(run.stdout == "pod/client created\n", "\(run)")
        let cm = try await h.kubectl("create", "configmap", "settings", "--from-literal=mesh=canary")
        #expect(cm.stdout == "configmap/settings created\n", "\(cm)")
        try await h.advance(steps: 4)
        let world = h.cluster.world
        let web = try #require(world.get(ObjectKey(.deployments, namespace: "default", name: "web")))
        #expect(web.spec["replicas"] == 2)
        #expect(web.spec[path: ["template", "spec", "containers"]]?.arrayValue?.first?["image"] == "nginx:1.25")
        let service = try #require(world.services(in: "default").first { $0.name == "web" })
        #expect(service.ports.map(\.port) == [8080] && service.ports.first?.targetPort == 80 && service.selector == ["app": "web"])
        #expect(world.endpoints(of: service).count == 2)
        let client = try #require(world.get(ObjectKey(.pods, namespace: "default", name: "client")))
        #expect(client.spec["containers"]?.arrayValue?.first?["args"] == ["sleep", "3600"])
        #expect(client.spec["containers"]?.arrayValue?.first?["env"] == [["name": "K", "value": "V"]])
        #expect(world.get(ObjectKey(.configMaps, namespace: "default", name: "settings"))?.body["data"] == ["mesh": "canary"])
        let pods = try await h.kubectl("get", "pods", "-l", "app in (web,client)")
        #expect(pods.lines.count == 4 && pods.lines.dropFirst().allSatisfy { columns($0)[1...2] == ["1/1", "Running"] }, "\(pods)")
        await h.stop()
    }

    @Test func outputJSONAndYAML() async throws {
        let h = try await KubectlHarness.start()
        let json = try await h.kubectl("get", "deployment", "details-v1", "-o", "json")
        #expect(json.status == 0, "\(json)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["kind"] as? String == "Deployment")
        #expect(object["apiVersion"] as? String == "apps/v1")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["name"] as? String == "details-v1")
        #expect(metadata["resourceVersion"] is String)
        #expect((object["spec"] as? [String: Any])?["replicas"] as? Int == 1)

        let yaml = try await h.kubectl("get", "pods", "-o", "yaml")
        #expect(yaml.status == 0)
        #expect(yaml.stdout.hasPrefix("apiVersion: v1\nitems:\n"), "\(yaml.stdout.prefix(200))")
        #expect(yaml.stdout.contains("    podIP: 10.244."))
        #expect(yaml.stdout.contains("kind: List"))
        await h.stop()
    }

    @Test func badRequestsGiveKubectlsUsualErrors() async throws {
        let h = try await KubectlHarness.start()
        let unknown = try await h.kubectl("get", "foo")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "error: the server doesn't have a resource type \"foo\"\n", "\(unknown)")

        let missing = try await h.kubectl("get", "pod", "nope")
        #expect(missing.stderr == "Error from server (NotFound): pods \"nope\" not found\n", "\(missing)")

        let badType = try await h.kubectl("patch", "deployment", "details-v1", "--type", "merge", "-p", #"{"spec":{"replicas":"abc"}}"#)
        #expect(badType.status == 1)
        #expect(
            badType.stderr.contains(
                #"The Deployment "details-v1" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#),
            "\(badType)")

        let jsonPatch = try await h.kubectl("patch", "deployment", "details-v1", "--type", "json", "-p", #"[{"op":"replace","path":"/spec/replicas","value":2}]"#)
        #expect(jsonPatch.stdout == "deployment.apps/details-v1 patched\n", "\(jsonPatch)")
        let badPath = try await h.kubectl("patch", "deployment", "details-v1", "--type", "json", "-p", #"[{"op":"replace","path":"/spec/nothing","value":2}]"#)
        #expect(badPath.stderr == "Error from server (BadRequest): jsonpatch: path /spec/nothing does not exist\n", "\(badPath)")

        let badSelector = try await h.kubectl("patch", "deployment", "details-v1", "-p", #"{"spec":{"template":{"metadata":{"labels":{"app":"other"}}}}}"#)
        #expect(badSelector.status == 1)
        #expect(badSelector.stderr.contains("`selector` does not match template `labels`"), "\(badSelector)")

        let noNamespace = try await h.kubectl("get", "pods", "-n", "nowhere")
        #expect(noNamespace.stderr == "No resources found in nowhere namespace.\n", "\(noNamespace)")

        // `kubectl create namespace` sends a protobuf body.
        let created = try await h.kubectl("create", "namespace", "rehearsal")
        #expect(created.stdout == "namespace/rehearsal created\n", "\(created)")
        let create = try await h.kubectl("create", "namespace", "default")
        #expect(create.stderr == "Error from server (AlreadyExists): namespaces \"default\" already exists\n", "\(create)")

        let deleteDefault = try await h.kubectl("delete", "namespace", "default")
        let events = try await h.kubectl("get", "events", "-n", "rehearsal")
        #expect(events.stderr == "No resources found in rehearsal namespace.\n", "\(events)")
        #expect(deleteDefault.stderr == "Error from server (Forbidden): namespaces \"default\" is forbidden: this namespace may not be deleted\n", "\(deleteDefault)")
        // The server is still fine afterwards.
        let ok = try await h.kubectl("get", "ns")
        #expect(ok.status == 0 && ok.lines.count == 7, "\(ok)")  // with kube-node-lease
        await h.stop()
    }
}
