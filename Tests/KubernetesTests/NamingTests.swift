import JSON
import Kubernetes
import KubeRuntime
import Istio
import Testing

struct NamingTests {
    @Test func safeEncodeMapsDigitsToTheFixedLetters() {
        // docs/istio-facts.md §8.1: 0→4 1→5 2→6 3→7 4→8 5→9 6→b 7→c 8→d 9→f.
        #expect(KubeNames.safeEncode("0123456789") == "456789bcdf")
    }

    static let templates: [JSONValue] = [
        JSONValue.object([:]),
        ["metadata": ["labels": ["app": "details", "version": "v1"]]],
        ["metadata": ["labels": ["app": "details"], "annotations": ["kubectl.kubernetes.io/restartedAt": "2026-01-01T00:00:00Z"]]],
        ["spec": ["containers": [["name": "a", "image": "b"]]]],
    ]

    @Test(arguments: templates)
    func podTemplateHashesUseOnlyTheDigitAlphabet(template: JSONValue) {
        let hash = KubeNames.podTemplateHash(template)
        #expect((1...10).contains(hash.count))
        #expect(hash.allSatisfy { "456789bcdf".contains($0) }, "\(hash)")
        #expect(KubeNames.podTemplateHash(template) == hash)
        #expect(KubeNames.podTemplateHash(template, collisionCount: 1) != hash)
    }

    @Test func aRestartAnnotationChangesTheHash() {
        let a: JSONValue = ["metadata": ["labels": ["app": "details"]]]
        let b: JSONValue = ["metadata": ["labels": ["app": "details"], "annotations": ["kubectl.kubernetes.io/restartedAt": "x"]]]
        #expect(KubeNames.podTemplateHash(a) != KubeNames.podTemplateHash(b))
    }

    @Test func suffixesAreSeededAndUseTheKubernetesAlphabet() {
        var a = SeededRandom(seed: 7), b = SeededRandom(seed: 7), c = SeededRandom(seed: 8)
        let fromA = (0..<50).map { _ in KubeNames.suffix(using: &a) }
        let fromB = (0..<50).map { _ in KubeNames.suffix(using: &b) }
        let fromC = (0..<50).map { _ in KubeNames.suffix(using: &c) }
        #expect(fromA == fromB)
        #expect(fromA != fromC)
        for s in fromA {
            #expect(s.count == 5)
            #expect(s.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) }, "\(s)")
        }
    }

    @Test func generatedNamesCutTheBaseTo58Characters() {
        var rng = SeededRandom(seed: 1)
        let name = KubeNames.generated(from: String(repeating: "a", count: 70), using: &rng)
        #expect(name.count == 63)
    }

    @Test func uidsLookLikeUUIDs() {
        var rng = SeededRandom(seed: 3)
        let uid = KubeNames.uid(using: &rng)
        let parts = uid.split(separator: "-")
        #expect(parts.map(\.count) == [8, 4, 4, 4, 12], "\(uid)")
    }
}

struct TimestampTests {
    static let instants: [(Int64, String)] = [
        (0, "1970-01-01T00:00:00Z"),
        (951_782_400, "2000-02-29T00:00:00Z"),
        (1_590_241_079, "2020-05-23T13:37:59Z"),
        (1_767_225_599, "2025-12-31T23:59:59Z"),
    ]

    @Test(arguments: instants)
    func rfc3339RoundTrips(seconds: Int64, text: String) {
        #expect(Timestamp(seconds: seconds).rfc3339 == text)
        #expect(Timestamp(rfc3339: text) == Timestamp(seconds: seconds))
    }

    @Test func rfc3339ParsesOffsetsAndFractions() {
        #expect(Timestamp(rfc3339: "2020-05-23T15:37:59+02:00") == Timestamp(seconds: 1_590_241_079))
        #expect(Timestamp(rfc3339: "2020-05-23T13:37:59.250Z") == Timestamp(milliseconds: 1_590_241_079_250))
        #expect(Timestamp(rfc3339: "yesterday") == nil)
    }

    /// `duration.HumanDuration`, the AGE column.
    static let ages: [(Int64, String)] = [
        (-5, "<invalid>"), (-1, "0s"), (0, "0s"), (59, "59s"), (119, "119s"), (120, "2m"), (150, "2m30s"),
        (600, "10m"), (114 * 60, "114m"), (180 * 60, "3h"), (185 * 60, "3h5m"), (8 * 3600, "8h"),
        (47 * 3600, "47h"), (48 * 3600, "2d"), (6 * 86400 + 23 * 3600, "6d23h"), (33 * 86400, "33d"),
        (2 * 365 * 86400, "2y"), (3 * 365 * 86400 + 86400, "3y1d"), (9 * 365 * 86400, "9y"),
    ]

    @Test(arguments: ages)
    func ageMatchesHumanDuration(seconds: Int64, text: String) {
        let created = Timestamp(seconds: 1000)
        #expect(created.age(at: Timestamp(seconds: 1000 + seconds)) == text)
    }
}
