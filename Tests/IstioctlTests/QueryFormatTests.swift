@testable import Istioctl
import EmulatorAPI
import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

/// The pure pieces of `version`, `proxy-status` and `proxy-config`: table tests against the
/// formats in docs/istio-facts.md §1, §2 and §7.3.
struct QueryFormatTests {
    @Test(arguments: [
        ([], "none"),
        (["1.5.4"], "1.5.4 (1 proxies)"),
        (["1.6.0", "1.5.4", "1.5.4", "1.5.4", "1.5.4", "1.5.4", "1.5.4"], "1.5.4 (6 proxies), 1.6.0 (1 proxies)"),
        (["1.10.4", ""], " (1 proxies), 1.10.4 (1 proxies)"),
    ])
    func dataPlaneGroupsAreSorted(versions: [String], rendered: String) {
        #expect(VersionCommand.renderProxyVersions(versions) == rendered)
    }

    @Test func controlPlaneCoalescesOnlyWhenAllVersionsAreEqual() {
        let proxies = [SyncStatus(proxy: "a.default", istioVersion: "1.5.4")]
        let same = [ControlPlane.Component(name: "ingressgateway", pod: "g", version: "1.5.4"), .init(name: "pilot", pod: "p", version: "1.5.4")]
        #expect(
            VersionCommand.lines(client: BuildInfo("1.5.4"), components: same, proxies: proxies, short: true)
                == ["client version: 1.5.4", "control plane version: 1.5.4", "data plane version: 1.5.4 (1 proxies)"])
        let split = [ControlPlane.Component(name: "pilot", pod: "istiod-6", version: "1.5.4"), .init(name: "istiod", pod: "istiod-c", version: "1.6.0")]
        #expect(
            VersionCommand.lines(client: BuildInfo("1.6.0"), components: split, proxies: proxies, short: true)
                == ["client version: 1.6.0", "pilot version: 1.5.4", "istiod version: 1.6.0", "data plane version: 1.5.4 (1 proxies)"])
    }

    @Test func versionJSONUsesGoFieldNames() {
        let json = VersionCommand.json(
            client: BuildInfo("1.6.0"), components: [.init(name: "pilot", pod: "p", version: "1.5.4")],
            proxies: [.init(proxy: "d.default", istioVersion: "1.5.4")]
        ).goIndentedJSON(indent: "  ")
        #expect(json.contains("\"meshVersion\": [\n    {\n      \"Component\": \"pilot\",\n      \"Info\": {\n        \"version\": \"1.5.4\","))
        #expect(json.contains("\"dataPlaneVersion\": [\n    {\n      \"ID\": \"d.default\",\n      \"IstioVersion\": \"1.5.4\"\n    }\n  ]"))
    }

    @Test func versionJSONHasRevisionFrom20AndTypeFrom19() {
        let components = [ControlPlane.Component(name: "istiod", pod: "p", version: "1.20.0", revision: "1-20-0")]
        let proxies = [SyncStatus(proxy: "gw.istio-system", istioVersion: "1.20.0")]
        func json(_ release: IstioVersion) -> String {
            VersionCommand.json(
                client: BuildInfo("\(release)"), components: components, proxies: proxies, release: release,
                types: ["gw.istio-system": "gateway"]
            ).goIndentedJSON(indent: "  ")
        }
        let twenty = json(IstioVersion(1, 20, 0))
        #expect(twenty.contains("\"Component\": \"istiod\",\n      \"Revision\": \"1-20-0\",\n      \"Info\": {"), "\(twenty)")
        #expect(twenty.contains("\"IstioVersion\": \"1.20.0\",\n      \"Type\": \"gateway\"\n"), "\(twenty)")
        let nineteen = json(IstioVersion(1, 19, 0))
        #expect(!nineteen.contains("Revision") && nineteen.contains("\"Type\": \"gateway\""), "\(nineteen)")
        let eighteen = json(IstioVersion(1, 18, 0))
        #expect(!eighteen.contains("Revision") && !eighteen.contains("Type"), "\(eighteen)")
        let yaml = VersionCommand.yaml(
            client: BuildInfo("1.20.0"), components: components, proxies: proxies, release: IstioVersion(1, 20, 0),
            types: ["gw.istio-system": "gateway"])
        #expect(yaml.contains("  IstioVersion: \"1.20.0\"\n  Type: gateway\n"), "\(yaml)")
        #expect(yaml.hasSuffix("    version: \"1.20.0\"\n  Revision: 1-20-0"), "\(yaml)")
    }

    @Test func uninstallWarnsTheSameInEveryReleaseAndNamesRemovedObjectsPerRelease() {
        let deployment = KubeObject(resource: .deployments, metadata: ObjectMeta(name: "istiod-1-29-0", namespace: "istio-system"))
        let gateway = KubeObject(resource: .deployments, metadata: ObjectMeta(name: "istio-ingressgateway", namespace: "istio-system"))
        let hook = KubeObject(resource: .mutatingWebhookConfigurations, metadata: ObjectMeta(name: "istio-sidecar-injector-1-29-0"))
        let warning = UninstallWarning(revision: "1-29-0", purge: false, verbose: false, doomed: [deployment, gateway], proxies: ["a.shop"])
        #expect(warning.needsConfirmation)
        #expect(
            warning.message
                == "There are still 1 proxies pointing to the control plane revision 1-29-0\na.shop\nIf you proceed with the uninstall, these proxies will become detached from any control plane and will not function correctly.\nYou are about to remove the following gateways: istio-ingressgateway. To avoid downtime, please quit this command and reinstall the gateway(s) with a revision that is not being removed from the cluster.\n")
        #expect(warning.prompt.hasSuffix("cluster.\nProceed? (y/N)"))
        let quiet = UninstallWarning(revision: "1-29-0", purge: false, verbose: true, doomed: [deployment, hook], proxies: [])
        #expect(!quiet.needsConfirmation)
        #expect(quiet.message == "The following resources will be pruned from the cluster: Deployment: istiod-1-29-0. MutatingWebhookConfiguration: istio-sidecar-injector-1-29-0. \n")
        let none = UninstallWarning(revision: "gone", purge: false, verbose: false, doomed: [], proxies: [])
        #expect(none.nothingToPrune && none.message == "No resources will be pruned from the cluster. Please double check the input configs\n")
        #expect(UninstallWarning.removedLine(deployment, istioctl: IstioVersion(1, 23, 0)) == "  Removed Deployment:istio-system:istiod-1-29-0.")
        #expect(UninstallWarning.removedLine(deployment, istioctl: IstioVersion(1, 24, 0)) == "  Removed apps/v1, Kind=Deployment/istiod-1-29-0.istio-system.")
        // `"%v/%s.%s"` with no namespace, then `"  Removed %s."`: two dots (operator/pkg/uninstall/prune.go@1.30.0).
        #expect(UninstallWarning.removedLine(hook, istioctl: IstioVersion(1, 30, 0)) == "  Removed admissionregistration.k8s.io/v1, Kind=MutatingWebhookConfiguration/istio-sidecar-injector-1-29-0..")
    }

    @Test(arguments: [
        ("", "", "NOT SENT"), ("", "x", "NOT SENT"), ("n1", "n1", "SYNCED"), ("n2", "", "STALE (Never Acknowledged)"),
        ("n2", "n1", "STALE"),
    ])
    func syncState(sent: String, acked: String, state: String) {
        #expect(ProxyStatusCommand.syncState(sent: sent, acked: acked) == state)
    }

    @Test func proxyStatusHeaderFollowsTheRelease() {
        func header(_ v: IstioVersion) -> String { ProxyStatusCommand.table([], version: v) }
        #expect(header(.v1_6_0) == "NAME     CDS     LDS     EDS     RDS     PILOT     VERSION")
        #expect(header(IstioVersion(1, 7, 0)) == "NAME     CDS     LDS     EDS     RDS     ISTIOD     VERSION")
        #expect(header(IstioVersion(1, 14, 0)) == "NAME     CLUSTER     CDS     LDS     EDS     RDS     ECDS     ISTIOD     VERSION")
    }

    @Test func envoyAdminJSONIsReprintedAsJsonpbWithFourSpaces() throws {
        let envoy = """
            {"name": "xds-grpc", "host_statuses": [{"address": {"socket_address": {"address": "127.0.0.1", "port_value": 15012}},
             "health_status": {"eds_health_status": "HEALTHY"}, "weight": 1, "hostname": "istiod-canary.istio-system.svc", "locality": {}}],
             "circuit_breakers": {"thresholds": []}, "observability_name": "xds-grpc",
             "metadata": {"filter_metadata": {"istio": {"SOME_KEY": 1}}}}
            """
        let parsed = try JSONValue(parsing: envoy)
        let printed = EndpointFilter.clusterStatus(parsed, for: .v1_6_0).goIndentedJSON()
        #expect(printed.hasPrefix("{\n    \"name\": \"xds-grpc\",\n    \"hostStatuses\": [\n        {\n            \"address\": {\n                \"socketAddress\": {"))
        #expect(printed.contains("\n            \"hostname\": \"istiod-canary.istio-system.svc\",\n            \"locality\": {}\n"))
        // Fields this release's protos do not have are dropped; map keys stay as written.
        #expect(!printed.contains("circuitBreakers") && !printed.contains("observabilityName"))
        #expect(printed.contains("\"filterMetadata\": {\n            \"istio\": {\n                \"SOME_KEY\": 1"))
        #expect(EndpointFilter.clusterStatus(parsed, for: IstioVersion(1, 10, 0)).goIndentedJSON().contains("\"observabilityName\": \"xds-grpc\""))
    }

    @Test(arguments: [
        ("outbound|9080||details.default.svc.cluster.local", "outbound", 9080, "", "details.default.svc.cluster.local", true),
        ("outbound|9080|v1|reviews.default.svc.cluster.local", "outbound", 9080, "v1", "reviews.default.svc.cluster.local", true),
        ("xds-grpc", "", 0, "", "xds-grpc", false),
    ])
    func clusterNamesSplitAsIstioctlDoes(name: String, direction: String, port: Int, subset: String, fqdn: String, isKey: Bool) {
        let key = ClusterName(name)
        #expect(key.direction == direction && key.port == port && key.subset == subset && key.fqdn == fqdn && key.isServiceKey == isKey)
    }

    @Test func podArgumentSplitsAtTheFirstDot() {
        #expect(IstioctlEnvironment.podAndNamespace("details-v1-x.default", namespace: nil) == ("details-v1-x", "default"))
        #expect(IstioctlEnvironment.podAndNamespace("details-v1-x", namespace: "shop") == ("details-v1-x", "shop"))
        #expect(IstioctlEnvironment.podAndNamespace("details-v1-x", namespace: nil) == ("details-v1-x", "default"))
    }
}
