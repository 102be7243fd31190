import JSON
import Kubernetes
import Istio
import Testing

/// Old ReplicaSets are history: after many `rollout restart`s a Deployment keeps only the newest
/// `revisionHistoryLimit` of them (default 10), dropping the oldest revisions first.
struct RevisionHistoryTests {
    static let key = ObjectKey(.deployments, namespace: "default", name: "details-v1")
    static let details = try! LabelSelector(parsing: "app=details")

    /// Restarts details-v1 `times` times, letting each rollout finish.
    static func restart(_ w: inout World, times: Int, from start: Timestamp) throws -> Timestamp {
        var now = start
        for i in 1...times {
            _ = try w.patch(
                key, patch: ["spec": ["template": ["metadata": ["annotations": ["kubectl.kubernetes.io/restartedAt": .string("r\(i)")]]]]],
                type: .strategicMerge)
            for _ in 1...8 {
                now = now + 1000
                _ = w.advance(to: now)
            }
        }
        return now
    }

    static func revisions(_ w: World) -> [Int] {
        w.list(.replicaSets, namespace: "default", labels: details)
            .compactMap { $0.metadata.annotations["deployment.kubernetes.io/revision"].flatMap { Int($0) } }.sorted()
    }

    @Test func defaultLimitKeepsTheNewestTenOldSets() throws {
        var w = WorldTests.world()
        _ = try Self.restart(&w, times: 14, from: WorldTests.now)
        // Revision 15 serves; 5…14 are the ten kept; 1…4 were collected.
        #expect(Self.revisions(w) == Array(5...15))
        #expect(w.pods(in: "default").filter { $0.name.hasPrefix("details-v1-") }.count == 1)
    }

    @Test func anExplicitLimitOfOneKeepsOneOldSet() throws {
        var w = WorldTests.world()
        _ = try w.patch(Self.key, patch: ["spec": ["revisionHistoryLimit": 1]], type: .merge)
        _ = try Self.restart(&w, times: 4, from: WorldTests.now)
        #expect(Self.revisions(w) == [4, 5])
    }
}
