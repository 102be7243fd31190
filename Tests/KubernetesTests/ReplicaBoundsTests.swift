import JSON
import Kubernetes
import Testing

/// A replicas value is bounded before any controller runs: beyond int32 the API server's decoder
/// refuses it (400); beyond the emulator's per-workload limit validation refuses it (422). Either
/// way nothing is stored and no pod is made.
struct ReplicaBoundsTests {
    static func deployment(replicas: Int64) -> KubeObject {
        let labels: JSONValue = ["app": "big"]
        return KubeObject(
            resource: .deployments, metadata: ObjectMeta(name: "big", namespace: "default"),
            body: [
                "spec": [
                    "replicas": .int(replicas), "selector": ["matchLabels": labels],
                    "template": ["metadata": ["labels": labels], "spec": ["containers": [["name": "c", "image": "busybox"]]]],
                ]
            ])
    }

    static func emptyWorld() throws -> World {
        var world = World(now: Timestamp(seconds: 1_767_225_600))
        _ = try world.create(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: "default")))
        return world
    }

    @Test(arguments: [
        (Int64(2_147_483_648), WorldError.Code.badRequest,
         "json: cannot unmarshal number 2147483648 into Go struct field DeploymentSpec.spec.replicas of type int32"),
        (Int64(1_000_000_000_000), .badRequest,
         "json: cannot unmarshal number 1000000000000 into Go struct field DeploymentSpec.spec.replicas of type int32"),
        (World.maxReplicas + 1, .invalid, "spec.replicas: Invalid value: 10001: must be less than or equal to 10000"),
    ])
    func refusedBeforeAnyPodIsMade(replicas: Int64, code: WorldError.Code, message: String) throws {
        var world = try Self.emptyWorld()
        let before = world.objects.count
        #expect {
            _ = try world.create(Self.deployment(replicas: replicas))
        } throws: { error in
            guard let error = error as? WorldError else { return false }
            return error.code == code && "\(error)".contains(message)
        }
        #expect(world.objects.count == before)
    }

    @Test func aPatchBeyondInt32IsRefusedAndChangesNothing() throws {
        var world = try Self.emptyWorld()
        _ = try world.create(Self.deployment(replicas: 1))
        let before = world
        #expect(throws: WorldError.self) {
            _ = try world.patch(
                ObjectKey(.deployments, namespace: "default", name: "big"), patch: ["spec": ["replicas": 1_000_000_000_000]],
                type: .merge)
        }
        #expect(world == before)
    }
}
