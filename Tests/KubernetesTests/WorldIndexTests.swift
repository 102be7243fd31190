import JSON
@testable import Kubernetes
import KubeRuntime
import Istio
import Testing

/// The world's indexes answer exactly what a walk over every object answers, after any sequence
/// of writes, time steps, dry runs and restores; and the controllers, run only for the workloads
/// each write's events concern, leave nothing that running all of them would still change.
struct WorldIndexTests {
    /// Every indexed answer against the brute-force one.
    static func expectIndexMatches(_ w: World, _ step: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let all = Array(w.objects.values)
        for resource in Set(all.map(\.resource)) {
            for namespace in [nil] + Set(all.map(\.namespace)).map(Optional.some) {
                let brute = all.filter { $0.resource == resource && (namespace == nil || $0.namespace == namespace) }
                    .sorted { $0.key < $1.key }
                #expect(w.list(resource, namespace: namespace) == brute, "\(step): list \(resource) in \(namespace ?? "*")", sourceLocation: sourceLocation)
            }
        }
        for owner in all {
            for resource in [ResourceType.replicaSets, .pods, .configMaps] {
                let brute = all.filter {
                    $0.resource == resource && $0.namespace == owner.namespace
                        && $0.metadata.ownerReferences.contains { $0.uid == owner.metadata.uid && $0.controller }
                }.sorted { $0.key < $1.key }
                #expect(w.owned(by: owner, resource) == brute, "\(step): owned by \(owner.key)", sourceLocation: sourceLocation)
            }
        }
        let uids = Set(all.map(\.metadata.uid))
        let orphans = Set(all.filter { $0.metadata.ownerReferences.contains { $0.controller && !uids.contains($0.uid) } }.map(\.key))
        #expect(w.index.orphans == orphans, "\(step): orphans", sourceLocation: sourceLocation)
        var ips: [String: Int] = [:]
        for o in all where o.resource == .pods { if let ip = o.status["podIP"]?.stringValue { ips[ip, default: 0] += 1 } }
        #expect(w.index.podIPs == ips, "\(step): pod IPs", sourceLocation: sourceLocation)
        var counts: [String: Int] = [:]
        for o in all where o.resource.namespaced { counts[o.namespace, default: 0] += 1 }
        #expect(w.index.namespaceCounts == counts, "\(step): namespace counts", sourceLocation: sourceLocation)
        for namespace in counts.keys {
            #expect(Set(w.index.keys(inNamespace: namespace)) == Set(all.filter { $0.resource.namespaced && $0.namespace == namespace }.map(\.key)))
        }
    }

    static func deployment(_ name: String, namespace: String, replicas: Int64, image: String = "app:1") -> KubeObject {
        let labels: JSONValue = ["app": .string(name)]
        return KubeObject(
            resource: .deployments, metadata: ObjectMeta(name: name, namespace: namespace),
            body: [
                "spec": [
                    "replicas": .int(replicas), "selector": ["matchLabels": labels],
                    "template": [
                        "metadata": ["labels": labels], "spec": ["containers": [["name": "app", "image": .string(image)]]],
                    ],
                ]
            ])
    }

    /// A ConfigMap controlled by `uid`, which may name no object at all (an orphan at once).
    static func configMap(_ name: String, namespace: String, owner uid: String) -> KubeObject {
        var meta = ObjectMeta(name: name, namespace: namespace)
        meta.ownerReferences = [OwnerReference(apiVersion: "v1", kind: "ConfigMap", name: "owner", uid: uid)]
        return KubeObject(resource: .configMaps, metadata: meta, body: ["data": ["k": "v"]])
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func indexesEqualBruteForceAfterRandomWrites(seed: UInt64) throws {
        var w = WorldTests.world(seed: seed)
        var rng = SeededRandom(seed: seed &* 7919)
        func pick(_ n: Int) -> Int { Int(rng.next() % UInt64(max(n, 1))) }
        let namespaces = ["default", "team-a", "team-b"]
        Self.expectIndexMatches(w, "start")
        for step in 0..<60 {
            let ns = namespaces[pick(namespaces.count)]
            let name = "app-\(pick(5))"
            var label = ""
            switch pick(10) {
            case 0:
                label = "create namespace \(ns)"
                _ = try? w.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: ns)))
            case 1:
                label = "create deployment \(ns)/\(name)"
                _ = try? w.create(Self.deployment(name, namespace: ns, replicas: Int64(pick(4))))
            case 2:
                label = "scale \(ns)/\(name)"
                _ = try? w.patch(
                    ObjectKey(.deployments, namespace: ns, name: name), patch: ["spec": ["replicas": .int(Int64(pick(5)))]],
                    type: .merge)
            case 3:
                label = "new template \(ns)/\(name)"
                _ = try? w.update(Self.deployment(name, namespace: ns, replicas: 2, image: "app:\(step)"))
            case 4:
                label = "delete a pod"
                let pods = w.list(.pods)
                if !pods.isEmpty {
                    _ = try? w.delete(pods[pick(pods.count)].key, gracePeriodSeconds: pick(2) == 0 ? 0 : nil)
                }
            case 5:
                label = "delete deployment \(ns)/\(name)"
                _ = try? w.delete(ObjectKey(.deployments, namespace: ns, name: name))
            case 6:
                label = "configmap with an owner"
                let owners = w.list(.replicaSets, namespace: ns)
                let uid = pick(3) == 0 || owners.isEmpty ? "gone-\(pick(3))" : owners[pick(owners.count)].metadata.uid
                _ = try? w.create(Self.configMap("cm-\(pick(4))", namespace: ns, owner: uid))
            case 7:
                label = "dry run on a copy"
                var copy = w
                _ = try? copy.delete(ObjectKey(.namespaces, name: ns))
                _ = copy.advance(to: copy.now + 30_000)
                Self.expectIndexMatches(copy, "\(step): the dry-run copy")
            case 8:
                label = "restore from the store"
                w = World(config: w.config, objects: w.objects.values + w.list(.events), meta: w.meta)
            default:
                label = "advance"
                _ = w.advance(to: w.now + Int64(pick(4)) * 1000)
            }
            if pick(15) == 0, ns != "default" {
                label += ", delete namespace \(ns)"
                _ = try? w.delete(ObjectKey(.namespaces, name: ns))
            }
            Self.expectIndexMatches(w, "\(step): \(label)")
            var everything = w
            #expect(everything.settleEverythingOnce() == 0, "\(step): \(label): the controllers had work left")
        }
        _ = w.advance(to: w.now + 120_000)
        Self.expectIndexMatches(w, "end")
        #expect(w.list(.pods).count > 0)
    }

    @Test func aRestoredWorldIndexesWhatTheStoreHeld() {
        var w = WorldTests.world()
        _ = try? w.create(Self.configMap("orphan", namespace: "default", owner: "nobody"))
        let restored = World(config: w.config, objects: w.objects.values + w.list(.events), meta: w.meta)
        Self.expectIndexMatches(restored, "restored")
    }
}
