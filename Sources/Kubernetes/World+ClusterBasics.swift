import JSON
/// What a freshly made kind/kubeadm cluster holds before anyone uses it, created when the
/// `default` namespace appears (the API server's bootstrap controller runs then): the node the
/// pods run on (`WorldConfig.nodeName`, the `spec.nodeName` every pod gets), its heartbeat Lease
/// in `kube-node-lease`, and the `kubernetes` Service with its Endpoints and EndpointSlice.
///
/// These objects take their UIDs from generators of their own (`derivedRandom`), so adding them
/// leaves the world's main generator, and with it every pod name, where it was.
extension World {
    /// The kubelet and API server version this emulated cluster reports.
    package static let kubeletVersion = "v1.32.0"
    /// The API server's secure port, the `kubernetes` Service's targetPort.
    static let apiServerPort: Int64 = 6443

    /// The node's InternalIP: the address pods report as their `hostIP`.
    var nodeIP: String { config.podCIDR.address(at: 1) }

    mutating func addClusterBasics(ctx: inout Context) {
        if objects[ObjectKey(.nodes, name: config.nodeName)] == nil { storeControlled(nodeObject(), ctx: &ctx) }
        let leaseNamespace = "kube-node-lease"
        if objects[ObjectKey(.namespaces, name: leaseNamespace)] == nil {
            var ns = KubeObject(resource: .namespaces, metadata: ObjectMeta(name: leaseNamespace))
            applyDefaults(&ns, previous: nil)
            storeControlled(ns, ctx: &ctx)
            storeControlled(
                KubeObject(resource: .serviceAccounts, metadata: ObjectMeta(name: "default", namespace: leaseNamespace)), ctx: &ctx)
        }
        if let node = objects[ObjectKey(.nodes, name: config.nodeName)] {
            // `pkg/kubelet/nodelease`: a Lease named after the node, owned by it, renewed every 10 s
            // on a real cluster (here: written once; nothing reads its renewTime).
            var meta = ObjectMeta(name: node.name, namespace: leaseNamespace)
            meta.ownerReferences = [
                OwnerReference(apiVersion: "v1", kind: "Node", name: node.name, uid: node.metadata.uid, controller: false)
            ]
            let renew = microTime(self.meta.now)
            storeControlled(
                KubeObject(
                    resource: .leases, metadata: meta,
                    body: ["spec": ["holderIdentity": .string(node.name), "leaseDurationSeconds": 40, "renewTime": .string(renew)]]),
                ctx: &ctx)
        }
        addKubernetesService(ctx: &ctx)
    }

    /// `metav1.MicroTime`, as Lease times are written: microseconds, always six digits.
    func microTime(_ t: Timestamp) -> String {
        let micros = ((t.milliseconds % 1000) + 1000) % 1000 * 1000
        return String(t.rfc3339.dropLast()) + "." + String(String(1_000_000 + micros).dropFirst()) + "Z"
    }

    /// `pkg/controlplane/controller/kubernetesservice` and `reconcilers/endpointsadapter.go`: the
    /// Service at the first address of the service range, its Endpoints (marked
    /// `endpointslice.kubernetes.io/skip-mirror`) and a slice named like it, pointing at the API
    /// server on the node.
    mutating func addKubernetesService(ctx: inout Context) {
        let key = ObjectKey(.services, namespace: "default", name: "kubernetes")
        guard objects[key] == nil else { return }
        var service = KubeObject(
            resource: .services,
            metadata: ObjectMeta(name: "kubernetes", namespace: "default", labels: ["component": "apiserver", "provider": "kubernetes"]),
            body: [
                "spec": [
                    "clusterIP": .string(config.serviceCIDR.address(at: 1)),
                    "ports": [["name": "https", "port": 443, "protocol": "TCP", "targetPort": .int(Self.apiServerPort)]],
                ]
            ])
        applyDefaults(&service, previous: nil)
        storeControlled(service, ctx: &ctx)
        let port: JSONValue = ["name": "https", "port": .int(Self.apiServerPort), "protocol": "TCP"]
        storeControlled(
            KubeObject(
                resource: .endpoints,
                metadata: ObjectMeta(
                    name: "kubernetes", namespace: "default", labels: ["endpointslice.kubernetes.io/skip-mirror": "true"]),
                body: ["subsets": [["addresses": [["ip": .string(nodeIP)]], "ports": [port]]]]),
            ctx: &ctx)
        storeControlled(
            KubeObject(
                resource: .endpointSlices,
                metadata: ObjectMeta(name: "kubernetes", namespace: "default", labels: [Self.serviceNameLabel: "kubernetes"]),
                body: [
                    "addressType": "IPv4",
                    "endpoints": [["addresses": [.string(nodeIP)], "conditions": ["ready": true]]],
                    "ports": [port],
                ]),
            ctx: &ctx)
    }

    /// A control-plane node as kind 1.32 registers it: Ready, `node-role.kubernetes.io/control-plane`,
    /// the pod range, capacity, and the kubelet's system info.
    func nodeObject() -> KubeObject {
        let name = config.nodeName
        var meta = ObjectMeta(
            name: name,
            labels: [
                "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
                "kubernetes.io/hostname": name, "kubernetes.io/os": "linux", "node-role.kubernetes.io/control-plane": "",
                "node.kubernetes.io/exclude-from-external-load-balancers": "",
            ])
        meta.annotations = [
            "kubeadm.alpha.kubernetes.io/cri-socket": "unix:///run/containerd/containerd.sock",
            "node.alpha.kubernetes.io/ttl": "0",
            "volumes.kubernetes.io/controller-managed-attach-detach": "true",
        ]
        let now = JSONValue.string(self.meta.now.rfc3339)
        func condition(_ type: String, _ status: String, _ reason: String, _ message: String) -> JSONValue {
            [
                "type": .string(type), "status": .string(status), "lastHeartbeatTime": now, "lastTransitionTime": now,
                "reason": .string(reason), "message": .string(message),
            ]
        }
        let capacity: JSONValue = [
            "cpu": "8", "ephemeral-storage": "102626232Ki", "hugepages-1Gi": "0", "hugepages-2Mi": "0",
            "memory": "16375244Ki", "pods": "110",
        ]
        var rng = derivedRandom("node/\(name)")
        let machineID = String(KubeNames.uid(using: &rng).filter { $0 != "-" })
        return KubeObject(
            resource: .nodes, metadata: meta,
            body: [
                "spec": [
                    "podCIDR": .string(config.podCIDR.description), "podCIDRs": [.string(config.podCIDR.description)],
                    "providerID": .string("kind://docker/kind/\(name)"),
                ],
                "status": [
                    "addresses": [["address": .string(nodeIP), "type": "InternalIP"], ["address": .string(name), "type": "Hostname"]],
                    "allocatable": capacity, "capacity": capacity,
                    "conditions": [
                        condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
                        condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
                        condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
                        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
                    ],
                    "daemonEndpoints": ["kubeletEndpoint": ["Port": 10250]],
                    "nodeInfo": [
                        "architecture": "amd64", "bootID": .string(KubeNames.uid(using: &rng)),
                        "containerRuntimeVersion": "containerd://1.7.24", "kernelVersion": "6.8.0-xdsemu",
                        "kubeProxyVersion": .string(Self.kubeletVersion), "kubeletVersion": .string(Self.kubeletVersion),
                        "machineID": .string(machineID), "operatingSystem": "linux",
                        "osImage": "Debian GNU/Linux 12 (bookworm)", "systemUUID": .string(KubeNames.uid(using: &rng)),
                    ],
                ],
            ])
    }

    /// A generator seeded from `label` and the world's seed: what controllers draw names and UIDs
    /// from, apart from the main generator.
    func derivedRandom(_ label: String) -> SeededRandom {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ config.seed
        for byte in "\(label)#\(meta.resourceVersion)".utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return SeededRandom(seed: hash)
    }

    func systemUID(for key: ObjectKey) -> String {
        var rng = derivedRandom("uid/\(key)")
        return KubeNames.uid(using: &rng)
    }
}
