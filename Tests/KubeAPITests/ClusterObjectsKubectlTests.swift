import Foundation
import JSON
import Kubernetes
import KubeRuntime
import TestKit
import Testing

/// What every cluster has, and what the API server refuses, as the real kubectl 1.32 shows it
/// against a fresh default world (manual clock: the world was made 60 minutes before "now").
@Suite(.serialized)
struct ClusterObjectsKubectlTests {
    @Test func getNodesShowsTheReadyControlPlaneNode() async throws {
        let h = try await KubectlHarness.start()
        let run = try await h.kubectl("get", "nodes")
        #expect(run.status == 0, "\(run)")
        #expect(run.lines.map(columns) == [
            ["NAME", "STATUS", "ROLES", "AGE", "VERSION"], ["xdsemu-node", "Ready", "control-plane", "60m", World.kubeletVersion],
        ], "\(run)")
        let wide = try await h.kubectl("get", "nodes", "-o", "wide")
        #expect(wide.lines.first.map(columns) == [
            "NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME",
        ], "\(wide)")
        let pod = try #require(h.cluster.world.list(.pods, namespace: "default").first)
        let hostIP = try #require(pod.status["hostIP"]?.stringValue)
        #expect(wide.lines.last.map(columns) == [
            "xdsemu-node", "Ready", "control-plane", "60m", World.kubeletVersion, hostIP, "<none>", "Debian", "GNU/Linux", "12", "(bookworm)",
            "6.8.0-xdsemu", "containerd://1.7.24",
        ], "\(wide)")
        let pods = try await h.kubectl("get", "pods", "-o", "wide", "--field-selector", "spec.nodeName=xdsemu-node", "-n", "default")
        #expect(pods.lines.count == 7, "\(pods)")
        let leases = try await h.kubectl("get", "leases", "-n", "kube-node-lease")
        #expect(leases.lines.map(columns) == [["NAME", "HOLDER", "AGE"], ["xdsemu-node", "xdsemu-node", "60m"]], "\(leases)")
        await h.stop()
    }

    @Test func getSvcKubernetesShowsTheAPIServerService() async throws {
        let h = try await KubectlHarness.start()
        let run = try await h.kubectl("get", "svc", "kubernetes")
        #expect(run.lines.map(columns) == [
            ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "60m"],
        ], "\(run)")
        let ep = try await h.kubectl("get", "endpoints", "kubernetes")
        #expect(ep.lines.map(columns) == [["NAME", "ENDPOINTS", "AGE"], ["kubernetes", "10.244.0.1:6443", "60m"]], "\(ep)")
        let sa = try await h.kubectl("get", "serviceaccounts", "-n", "kube-node-lease")
        #expect(sa.lines.map(columns) == [["NAME", "SECRETS", "AGE"], ["default", "0", "60m"]], "\(sa)")
        await h.stop()
    }

    @Test func endpointsAndSlicesFollowAScale() async throws {
        let h = try await KubectlHarness.start()
        let scale = try await h.kubectl("scale", "deployment", "reviews-v1", "--replicas=3")
        #expect(scale.status == 0, "\(scale)")
        try await h.advance(steps: 4)
        let world = h.cluster.world
        // Five reviews pods: the first three ready addresses by IP, then "+ 2 more...".
        let ips = world.pods(in: "default").filter { $0.labels["app"] == "reviews" && $0.isReady }.map(\.ip)
            .sorted { IPv4Range.parse($0)! < IPv4Range.parse($1)! }
        #expect(ips.count == 5)
        let slice = try #require(
            world.list(.endpointSlices, namespace: "default").first { $0.labels["kubernetes.io/service-name"] == "reviews" })
        let sliceIPs = (slice.body["endpoints"]?.arrayValue ?? []).compactMap { $0["addresses"]?.arrayValue?.first?.stringValue }
        let endpointsIPs = (world.get(ObjectKey(.endpoints, namespace: "default", name: "reviews"))?.body["subsets"]?.arrayValue?.first?[
            "addresses"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
        #expect(Set(sliceIPs) == Set(ips) && Set(endpointsIPs) == Set(ips))

        let run = try await h.kubectl("get", "endpoints,endpointslices", "-n", "default")
        #expect(run.status == 0, "\(run)")
        let rows = run.lines.map(columns)
        let expectedEndpoints = endpointsIPs.prefix(3).map { "\($0):9080" }.joined(separator: ",")
        #expect(rows.contains(["endpoints/reviews", expectedEndpoints, "+", "2", "more...", "60m"]), "\(run)")
        #expect(rows.contains(["endpoints/kubernetes", "10.244.0.1:6443", "60m"]), "\(run)")
        #expect(rows.contains(["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]), "\(run)")
        let expectedSlice = sliceIPs.prefix(3).joined(separator: ",")
        #expect(rows.contains(["endpointslice.discovery.k8s.io/\(slice.name)", "IPv4", "9080", expectedSlice, "+", "2", "more...", "60m"]), "\(run)")
        await h.stop()
    }

    @Test func aServiceWithoutPodsShowsNoneAndUnset() async throws {
        let h = try await KubectlHarness.start()
        let create = try await h.kubectl("create", "service", "clusterip", "idle", "--tcp=80:8080")
        #expect(create.status == 0, "\(create)")
        let ep = try await h.kubectl("get", "endpoints", "idle")
        #expect(ep.lines.map(columns) == [["NAME", "ENDPOINTS", "AGE"], ["idle", "<none>", "0s"]], "\(ep)")
        let slices = try await h.kubectl("get", "endpointslices", "-l", "kubernetes.io/service-name=idle")
        let slice = try #require(h.cluster.world.list(.endpointSlices, namespace: "default").first { $0.labels["kubernetes.io/service-name"] == "idle" })
        #expect(slices.lines.map(columns) == [
            ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], [slice.name, "IPv4", "<unset>", "<unset>", "0s"],
        ], "\(slices)")
        await h.stop()
    }

    static let boolAnnotation = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: bad
        spec:
          selector:
            matchLabels: {app: bad}
          template:
            metadata:
              labels: {app: bad}
              annotations:
                sidecar.istio.io/inject: "false"
                x: y
            spec:
              containers:
              - name: app
                image: nginx
        """

    @Test func applyRefusesANonStringAnnotationAndStoresNothing() async throws {
        let h = try await KubectlHarness.start()
        // `x: y` is a YAML 1.1 boolean to kubectl's YAML reader.
        let run = try await h.kubectl("apply", "-f", "-", input: Self.boolAnnotation)
        #expect(run.status != 0, "\(run)")
        #expect(run.stderr.contains(
            #"Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal bool into Go struct field ObjectMeta.spec.template.metadata.annotations of type string"#),
            "\(run)")
        #expect(h.cluster.world.get(ObjectKey(.deployments, namespace: "default", name: "bad")) == nil)
        await h.stop()
    }

    @Test func applyRefusesADeploymentWithoutSelector() async throws {
        let h = try await KubectlHarness.start()
        let yaml = Self.boolAnnotation.replacingOccurrences(of: "  selector:\n    matchLabels: {app: bad}\n", with: "")
            .replacingOccurrences(of: "        x: y\n", with: "")
        let run = try await h.kubectl("apply", "-f", "-", input: yaml)
        #expect(run.status != 0, "\(run)")
        // kubectl prints the causes of a 422 one per line.
        #expect(run.stderr == """
            The Deployment "bad" is invalid: 
            * spec.selector: Required value
            * spec.template.metadata.labels: Invalid value: map[string]string{"app":"bad"}: `selector` does not match template `labels`

            """, "\(run)")
        let status = try await h.request(
            "POST", "/apis/apps/v1/namespaces/default/deployments", body: Data(Self.noSelectorJSON.utf8), contentType: "application/json")
        #expect(status.status == 422)
        let body = try JSONValue(parsing: [UInt8](status.body))
        #expect(body["message"] == #"Deployment.apps "bad" is invalid: [spec.selector: Required value, spec.template.metadata.labels: Invalid value: map[string]string{"app":"bad"}: `selector` does not match template `labels`]"#)
        #expect(body[path: ["details", "causes"]] == [
            ["reason": "FieldValueRequired", "message": "Required value", "field": "spec.selector"],
            [
                "reason": "FieldValueInvalid",
                "message": #"Invalid value: map[string]string{"app":"bad"}: `selector` does not match template `labels`"#,
                "field": "spec.template.metadata.labels",
            ],
        ], "\(body)")
        #expect(h.cluster.world.get(ObjectKey(.deployments, namespace: "default", name: "bad")) == nil)
        await h.stop()
    }

    /// The selector-less Deployment as the JSON body kubectl sends.
    static let noSelectorJSON =
        #"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"bad"},"spec":{"template":{"metadata":{"labels":{"app":"bad"},"annotations":{"sidecar.istio.io/inject":"false"}},"spec":{"containers":[{"name":"app","image":"nginx"}]}}}}"#
}
