import JSON
import Kubernetes
import Testing

/// What a fresh cluster holds once `default` exists: the node every pod is bound to, its Lease,
/// and the `kubernetes` Service with its Endpoints and EndpointSlice.
struct ClusterBasicsTests {
    @Test func theNodeIsReadyAndIsWherePodsRun() throws {
        var w = try EndpointsControllerTests.world()
        let node = try #require(w.get(ObjectKey(.nodes, name: w.config.nodeName)))
        #expect(node.labels["node-role.kubernetes.io/control-plane"] == "")
        let ready = (node.status["conditions"]?.arrayValue ?? []).first { $0["type"] == "Ready" }
        #expect(ready?["status"] == "True" && ready?["reason"] == "KubeletReady")
        #expect(node.status[path: ["nodeInfo", "kubeletVersion"]] == .string(World.kubeletVersion))
        #expect(node.status["capacity"]?["pods"] == "110")
        let internalIP = (node.status["addresses"]?.arrayValue ?? []).first { $0["type"] == "InternalIP" }?["address"]

        _ = try w.create(EndpointsControllerTests.deployment("web", replicas: 1))
        _ = w.advance(to: w.now + 4000)
        let pod = try #require(w.list(.pods).first)
        #expect(pod.spec["nodeName"] == .string(node.name))
        #expect(pod.status["hostIP"] == internalIP)

        let lease = try #require(w.get(ObjectKey(.leases, namespace: "kube-node-lease", name: node.name)))
        #expect(lease.spec["holderIdentity"] == .string(node.name) && lease.spec["leaseDurationSeconds"] == 40)
        #expect(lease.metadata.ownerReferences.map(\.uid) == [node.metadata.uid])
        #expect(w.get(ObjectKey(.namespaces, name: "kube-node-lease"))?.status["phase"] == "Active")
    }

    @Test func theKubernetesServicePointsAtTheAPIServer() throws {
        let w = try EndpointsControllerTests.world()
        let service = try #require(w.get(ObjectKey(.services, namespace: "default", name: "kubernetes")))
        #expect(service.spec["clusterIP"] == .string(w.config.serviceCIDR.address(at: 1)))
        #expect(service.spec["ports"] == [["name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443]])
        #expect(service.spec["selector"] == nil)
        let nodeIP = JSONValue.string(w.config.podCIDR.address(at: 1))
        let ep = try #require(w.get(ObjectKey(.endpoints, namespace: "default", name: "kubernetes")))
        #expect(ep.body["subsets"] == [["addresses": [["ip": nodeIP]], "ports": [["name": "https", "port": 6443, "protocol": "TCP"]]]])
        let slice = try #require(w.get(ObjectKey(.endpointSlices, namespace: "default", name: "kubernetes")))
        #expect(slice.labels == ["kubernetes.io/service-name": "kubernetes"])
        #expect(slice.body["endpoints"] == [["addresses": [nodeIP], "conditions": ["ready": true]]])
    }
}
