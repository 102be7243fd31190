import Foundation
import Istio
import JSON
import Kubernetes
import TestKit
import Testing

/// CustomResourceDefinitions with the real kubectl: an Istio install's CRDs, a VirtualService
/// through apply/get/explain/diff/patch, a user's own CRD, and Istio's validating webhook on a
/// user's config.
@Suite(.serialized)
struct CustomResourceTests {
    /// `samples/bookinfo/networking/virtual-service-reviews-50-v3.yaml` (istio/istio).
    static let reviews = """
        apiVersion: networking.istio.io/v1alpha3
        kind: VirtualService
        metadata:
          name: reviews
        spec:
          hosts:
            - reviews
          http:
          - route:
            - destination:
                host: reviews
                subset: v1
              weight: 50
            - destination:
                host: reviews
                subset: v3
              weight: 50

        """

    static let widgets = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.example.com
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget, shortNames: [wd]}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    description: What the widget should be.
                    properties:
                      size: {type: integer, description: How big the widget is.}

        """

    @Test func anInstallCreatesItsReleasesCRDs() async throws {
        // crd-all.gen.yaml + crd-mixer.yaml@1.5.4: 25 CRDs; crd-all.gen.yaml + crd-operator.yaml@1.20.0: 15.
        for (release, count) in [(IstioVersion.v1_5_4, 25), (IstioVersion(1, 20, 0), 15)] {
            let h = try await KubectlHarness.startLive(istio: release)
            let run = try await h.kubectl("get", "crd")
            #expect(run.status == 0, "\(run)")
            #expect(columns(run.lines.first ?? "") == ["NAME", "CREATED", "AT"], "\(run)")
            let names = run.lines.dropFirst().map { columns($0).first ?? "" }
            #expect(names.count == count, "\(release): \(names)")
            #expect(names.contains("virtualservices.networking.istio.io"))
            #expect(names.contains("policies.authentication.istio.io") == (release == .v1_5_4))
            #expect(names.contains("wasmplugins.extensions.istio.io") == (release != .v1_5_4))
            let created = run.lines.dropFirst().first.map(columns)?.last ?? ""
            #expect(created.hasSuffix("Z") && created.contains("T"), "CREATED AT is an RFC 3339 time: \(run)")
            let established = try await h.kubectl(
                "get", "crd", "virtualservices.networking.istio.io", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Established\")].status} {.status.acceptedNames.shortNames} {.status.storedVersions}")
            #expect(established.stdout == "True [\"vs\"] [\"v1alpha3\"]", "\(established)")
            await h.stop()
        }
    }

    @Test func aVirtualServiceThroughApplyGetExplainDiffAndPatch() async throws {
        try await KubectlHarness.withLive { h in
            let apply = try await h.kubectl("apply", "-f", "-", input: Self.reviews)
            #expect(apply.status == 0, "\(apply)")
            #expect(apply.stdout == "virtualservice.networking.istio.io/reviews created\n", "\(apply)")

            let get = try await h.kubectl("get", "vs")
            #expect(columns(get.lines.first ?? "") == ["NAME", "GATEWAYS", "HOSTS", "AGE"], "\(get)")
            // No `.spec.gateways`: the cell is null, which kubectl prints as blank.
            #expect(get.lines.dropFirst().first?.hasPrefix("reviews              [\"reviews\"]   ") == true, "\(get)")
            let category = try await h.kubectl("get", "istio-io")
            #expect(category.lines.contains { $0.hasPrefix("virtualservice.networking.istio.io/reviews") }, "\(category)")
            let v1beta1 = try await h.kubectl("get", "virtualservices.v1beta1.networking.istio.io", "reviews", "-o", "jsonpath={.apiVersion}")
            #expect(v1beta1.stdout == "networking.istio.io/v1beta1", "\(v1beta1)")

            let explain = try await h.kubectl("explain", "virtualservice.spec")
            #expect(explain.status == 0, "\(explain)")
            // v1beta1 is the group's preferred version (kube-aware order), so explain and a plain get use it.
            #expect(explain.lines.prefix(3) == ["GROUP:      networking.istio.io", "KIND:       VirtualService", "VERSION:    v1beta1"], "\(explain)")
            #expect(explain.stdout.contains("FIELD: spec <Object>"), "\(explain)")
            #expect(explain.stdout.contains("Configuration affecting label/content routing"), "\(explain)")
            // The chart's schema for spec, one level deep (crd-all.gen.yaml@1.5.4).
            #expect(explain.stdout.contains("  hosts\t<[]string>\n    The destination hosts to which traffic is being sent."), "\(explain)")
            #expect(explain.stdout.contains("  http\t<[]Object>\n"), "\(explain)")
            let replicas = try await h.kubectl("explain", "deployment.spec.replicas")
            #expect(replicas.status == 0, "\(replicas)")
            #expect(replicas.stdout.contains("FIELD: replicas <integer>"), "\(replicas)")
            #expect(replicas.stdout.contains("Number of desired pods."), "\(replicas)")

            let changed = Self.reviews.replacingOccurrences(of: "subset: v3\n      weight: 50", with: "subset: v3\n      weight: 80")
                .replacingOccurrences(of: "subset: v1\n      weight: 50", with: "subset: v1\n      weight: 20")
            let diff = try await h.kubectl("diff", "-f", "-", input: changed)
            #expect(diff.status == 1, "kubectl diff exits 1 when there are differences: \(diff)")
            #expect(diff.lines.contains("-      weight: 50") && diff.lines.contains("+      weight: 80"), "\(diff)")
            #expect(diff.lines.contains("-  generation: 1") && diff.lines.contains("+  generation: 2"), "\(diff)")
            #expect(!diff.lines.contains { $0.hasPrefix("+  resourceVersion:") }, "a dry run writes nothing: \(diff)")
            #expect(try await h.kubectl("diff", "-f", "-", input: Self.reviews).status == 0)
            let reapply = try await h.kubectl("apply", "-f", "-", input: changed)
            #expect(reapply.stdout == "virtualservice.networking.istio.io/reviews configured\n", "\(reapply)")

            let watch = try h.launch(["get", "vs", "-w"])
            try await eventually("\(watch.result)", timeout: .seconds(30)) { watch.stdout.contains("[\"reviews\"]") }
            let merge = try await h.kubectl("patch", "vs", "reviews", "--type=merge", "-p", #"{"spec":{"gateways":["mesh"]}}"#)
            #expect(merge.status == 0, "\(merge)")
            // The watch prints the change as a row of the CRD's columns.
            try await eventually("\(watch.result)", timeout: .seconds(30)) { watch.stdout.contains("reviews   [\"mesh\"]   [\"reviews\"]") }
            await watch.stop()
            let json = try await h.kubectl("patch", "vs", "reviews", "--type=json", "-p", #"[{"op":"add","path":"/spec/hosts/-","value":"ratings"}]"#)
            #expect(json.status == 0, "\(json)")
            let strategic = try await h.kubectl("patch", "vs", "reviews", "-p", #"{"spec":{"hosts":["x"]}}"#)
            #expect(strategic.status == 1)
            #expect(
                strategic.stderr
                    == "error: application/strategic-merge-patch+json is not supported by networking.istio.io/v1beta1, Kind=VirtualService: the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml\n",
                "\(strategic)")
            let after = try await h.kubectl("get", "vs", "reviews", "--no-headers")
            #expect(Array(columns(after.stdout).prefix(3)) == ["reviews", "[\"mesh\"]", "[\"reviews\",\"ratings\"]"], "\(after)")
            let kind = try #require(h.cluster.resources.named("virtualservices", group: "networking.istio.io"))
            let stored = try #require(h.cluster.world.list(kind).first)
            #expect(stored.metadata.generation == 4, "create, apply, merge and JSON patch each changed the spec")

            let delete = try await h.kubectl("delete", "vs", "reviews")
            #expect(delete.stdout == "virtualservice.networking.istio.io \"reviews\" deleted\n", "\(delete)")
        }
    }

    @Test func aVirtualServiceOverPlainREST() async throws {
        try await KubectlHarness.withLive { h in
            let path = "/apis/networking.istio.io/v1alpha3/namespaces/default/virtualservices"
            let body = #"{"apiVersion":"networking.istio.io/v1alpha3","kind":"VirtualService","metadata":{"name":"reviews"},"spec":{"hosts":["reviews"]}}"#
            let created = try await h.request("POST", path, body: Data(body.utf8), contentType: "application/json")
            #expect(created.status == 201, "\(created)")
            let list = try JSONValue(parsing: try await h.request("GET", path).text)
            #expect(list["kind"] == "VirtualServiceList")
            #expect(list["items"]?.arrayValue?.first?[path: ["spec", "hosts"]] == ["reviews"])
            let strategic = try await h.request(
                "PATCH", path + "/reviews", body: Data(#"{"spec":{"hosts":["x"]}}"#.utf8), contentType: "application/strategic-merge-patch+json")
            #expect(strategic.status == 415, "\(strategic)")
            let v2 = try await h.request("GET", "/openapi/v2", headers: ["Accept": "application/com.github.proto-openapi.spec.v2@v1.0+protobuf"])
            #expect(v2.status == 200, "\(v2)")
            let v2json = try JSONValue(parsing: try await h.request("GET", "/openapi/v2").text)
            #expect(v2json[path: ["definitions", "io.istio.networking.v1alpha3.VirtualService", "x-kubernetes-group-version-kind"]] != nil)
            #expect(v2json[path: ["definitions", "io.k8s.api.apps.v1.Deployment"]] != nil)
        }
    }

    /// kubectl checks a `kind: List` file against `/openapi/v2` in protobuf (its field-validation
    /// probe skips `List`): the file applies with default validation, and the server still
    /// refuses a bad item with its own validation.
    @Test func aListFileAppliesWithDefaultValidation() async throws {
        let h = try await KubectlHarness.start()
        let list = """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: ConfigMap
              metadata: {name: a}
            - apiVersion: apps/v1
              kind: Deployment
              metadata: {name: web}
              spec:
                selector: {matchLabels: {app: web}}
                template:
                  metadata: {labels: {app: web}}
                  spec: {containers: [{name: web, image: nginx}]}

            """
        let apply = try await h.kubectl("apply", "-f", "-", input: list)
        #expect(apply.status == 0, "\(apply)")
        #expect(apply.stdout == "configmap/a created\ndeployment.apps/web created\n", "\(apply)")
        let bad = try await h.kubectl(
            "apply", "-f", "-",
            input: "apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: Deployment\n  metadata: {name: nosel}\n  spec: {template: {spec: {containers: [{name: x, image: x}]}}}\n")
        #expect(bad.status == 1, "\(bad)")
        #expect(bad.stderr.contains("spec.selector: Required value"), "\(bad)")
        #expect(h.cluster.world.get(ObjectKey(.deployments, namespace: "default", name: "nosel")) == nil)
        await h.stop()
    }

    @Test func aUsersCRDServesItsKindUntilDeleted() async throws {
        let h = try await KubectlHarness.start()
        let missing = try await h.kubectl("get", "widgets")
        #expect(missing.status == 1)
        let crd = try await h.kubectl("apply", "-f", "-", input: Self.widgets)
        #expect(crd.stdout == "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created\n", "\(crd)")
        let again = try await h.kubectl("apply", "-f", "-", input: Self.widgets)
        #expect(again.stdout == "customresourcedefinition.apiextensions.k8s.io/widgets.example.com unchanged\n", "\(again)")
        let widget = try await h.kubectl(
            "apply", "-f", "-", input: "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w1\nspec:\n  size: 3\n")
        #expect(widget.stdout == "widget.example.com/w1 created\n", "\(widget)")
        let get = try await h.kubectl("get", "wd")
        #expect(get.lines.map(columns) == [["NAME", "AGE"], ["w1", "0s"]], "\(get)")
        let explain = try await h.kubectl("explain", "widget.spec.size")
        #expect(explain.stdout.contains("FIELD: size <integer>") && explain.stdout.contains("How big the widget is."), "\(explain)")
        let resources = try await h.kubectl("api-resources", "--api-group=example.com", "--no-headers")
        #expect(resources.lines.map(columns) == [["widgets", "wd", "example.com/v1", "true", "Widget"]], "\(resources)")

        let delete = try await h.kubectl("delete", "crd", "widgets.example.com")
        #expect(delete.status == 0, "\(delete)")
        // kubectl still has the kind in its discovery cache: the list itself is refused.
        let cached = try await h.kubectl("get", "widgets")
        #expect(cached.status == 1)
        #expect(cached.stderr.contains("the server could not find the requested resource"), "\(cached)")
        // Fresh discovery no longer lists it.
        let after = try await h.kubectl("api-resources", "--api-group=example.com", "--no-headers")
        #expect(after.status == 0 && after.stdout.isEmpty, "\(after)")
        let gone = try await h.kubectl("get", "widgets")
        #expect(gone.stderr.contains("the server doesn't have a resource type \"widgets\""), "\(gone)")
        #expect(!h.cluster.world.objects.keys.contains { $0.resource.group == "example.com" }, "deleting the CRD deleted its objects")
        await h.stop()
    }

    @Test func onlyAPurgingUninstallDeletesTheCRDsAndTheConfigInThem() async throws {
        try await KubectlHarness.withLive { h in
            #expect(try await h.kubectl("apply", "-f", "-", input: Self.reviews).status == 0)
            let keep = try await h.istioctl("1.7.0", "x", "uninstall", "--revision", "default", "-y", "--force")
            #expect(keep.status == 0, "\(keep)")
            #expect(!keep.stdout.contains("CustomResourceDefinition/"), "\(keep)")
            #expect(try await h.kubectl("get", "crd", "--no-headers").lines.count == 25)
            let purge = try await h.istioctl("1.7.0", "x", "uninstall", "--purge", "-y", "--force")
            #expect(purge.status == 0, "\(purge)")
            #expect(purge.stdout.contains("  Removed CustomResourceDefinition::virtualservices.networking.istio.io."), "\(purge)")
            let crds = try await h.kubectl("get", "crd")
            #expect(crds.stderr == "No resources found\n", "\(crds)")
            #expect(h.cluster.world.objects.keys.allSatisfy { !$0.resource.group.hasSuffix("istio.io") || $0.resource.plural == "istiooperators" })
        }
    }

    @Test func theValidationWebhookRefusesAVirtualServiceOnceIstiodIsGone() async throws {
        try await KubectlHarness.withLive { h in
            _ = try await h.kubectl("delete", "deployment", "istiod", "-n", "istio-system")
            try await eventually(timeout: .seconds(20)) { h.cluster.world.pods(in: "istio-system").allSatisfy { !$0.name.hasPrefix("istiod-") } }
            let apply = try await h.kubectl("apply", "-f", "-", input: Self.reviews)
            #expect(apply.status == 1)
            #expect(
                apply.stderr
                    == "Error from server (InternalError): error when creating \"STDIN\": Internal error occurred: failed calling webhook \"validation.istio.io\": Post https://istiod.istio-system.svc:443/validate?timeout=30s: no endpoints available for service \"istiod\"\n",
                "\(apply)")
            #expect(h.cluster.world.objects.keys.allSatisfy { $0.resource.plural != "virtualservices" })
        }
    }
}
