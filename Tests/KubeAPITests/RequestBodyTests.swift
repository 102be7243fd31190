import Foundation
import Kubernetes
import TestKit
import Testing

/// Bodies the API server refuses before they reach the world: too large (413), not JSON (415),
/// malformed (400), or of another kind than the path serves (400). kubectl sends what it can;
/// plain HTTP the rest. Nothing is stored.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct RequestBodyTests {
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    static func configMap(_ name: String, data: String = "x") -> Data {
        Data(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"},"data":{"k":"\#(data)"}}"#.utf8)
    }

    /// The answer's Kubernetes `Status`: its reason and message.
    static func status(_ answer: KubectlHarness.HTTPAnswer) -> (reason: String, message: String) {
        let json = (try? JSONSerialization.jsonObject(with: answer.body)) as? [String: Any]
        #expect(json?["kind"] as? String == "Status" && json?["code"] as? Int == answer.status, "\(answer)")
        return (json?["reason"] as? String ?? "", json?["message"] as? String ?? "")
    }

    static func stored(_ h: KubectlHarness, _ name: String) -> Bool {
        h.cluster.world.get(ObjectKey(.configMaps, namespace: "default", name: name)) != nil
    }

    @Test func aBodyOverThreeMebibytesIs413AndStoresNothing() async throws {
        let h = try await KubectlHarness.start()
        let file = h.directory + "/big.txt"
        try Data(repeating: UInt8(ascii: "a"), count: 4 << 20).write(to: URL(fileURLWithPath: file))
        let run = try await h.kubectl("create", "configmap", "big", "--from-file=big=\(file)")
        #expect(run.status != 0 && run.stderr.contains("Request entity too large: limit is 3145728"), "\(run)")
        #expect(!Self.stored(h, "big"))

        let answer = try await h.request("POST", Self.configMaps, body: Self.configMap("raw", data: String(repeating: "a", count: 4 << 20)), contentType: "application/json")
        #expect(answer.status == 413)
        #expect(Self.status(answer) == ("RequestEntityTooLarge", "Request entity too large: limit is 3145728"))
        #expect(!Self.stored(h, "raw"))
        // One under the limit is served as before.
        let small = try await h.request("POST", Self.configMaps, body: Self.configMap("small", data: String(repeating: "a", count: 1 << 20)), contentType: "application/json")
        #expect(small.status == 201, "\(small)")
        await h.stop()
    }

    @Test(arguments: [
        ("application/yaml", "YAML (application/yaml)"),
        ("text/plain", "unknown format (text/plain)"),
        ("application/x-www-form-urlencoded", "unknown format (application/x-www-form-urlencoded)"),
    ])
    func aBodyThatIsNotJSONIs415NamingWhatIsAccepted(contentType: String, says: String) async throws {
        let h = try await KubectlHarness.start()
        let yaml = Data("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: typed\n".utf8)
        let create = try await h.request("POST", Self.configMaps, body: yaml, contentType: contentType)
        let (reason, message) = Self.status(create)
        #expect(create.status == 415 && reason == "UnsupportedMediaType", "\(create)")
        #expect(message.contains(says) && message.contains("accepted media types include: application/json"), "\(message)")
        _ = try await h.request("POST", Self.configMaps, body: Self.configMap("typed"), contentType: "application/json")
        let update = try await h.request("PUT", Self.configMaps + "/typed", body: yaml, contentType: contentType)
        #expect(update.status == 415, "\(update)")
        #expect(h.cluster.world.get(ObjectKey(.configMaps, namespace: "default", name: "typed"))?.body["data"]?["k"] == "x")
        await h.stop()
    }

    @Test func malformedJSONIs400WithTheDecodersMessage() async throws {
        let h = try await KubectlHarness.start()
        let answer = try await h.request("POST", Self.configMaps, body: Data(#"{"kind":"ConfigMap","#.utf8), contentType: "application/json")
        let (reason, message) = Self.status(answer)
        #expect(answer.status == 400 && reason == "BadRequest" && message.hasPrefix("error decoding request body: invalid JSON at byte 20: "), "\(answer)")
        await h.stop()
    }

    /// A Secret posted to the ConfigMaps path (`kubectl create --raw` could send it, but it drops
    /// the kubeconfig's path prefix that carries the token, so plain HTTP).
    @Test func aBodyOfAnotherKindIs400NamingBothKinds() async throws {
        let h = try await KubectlHarness.start()
        let secret = Data(#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"stringData":{"password":"p"}}"#.utf8)
        let kind = try await h.request("POST", Self.configMaps, body: secret, contentType: "application/json")
        #expect(kind.status == 400)
        #expect(
            Self.status(kind).message
                == #"Secret in version "v1" cannot be handled as a ConfigMap: the kind in the data (Secret) is not a ConfigMap, the kind this path serves"#)
        #expect(!Self.stored(h, "s") && h.cluster.world.get(ObjectKey(.secrets, namespace: "default", name: "s")) == nil)

        let version = try await h.request(
            "POST", Self.configMaps, body: Data(#"{"apiVersion":"apps/v1","kind":"ConfigMap","metadata":{"name":"v"}}"#.utf8),
            contentType: "application/json")
        #expect(version.status == 400)
        #expect(Self.status(version).message == "the API version in the data (apps/v1) does not match the expected API version (v1)")
        #expect(!Self.stored(h, "v"))
        await h.stop()
    }
}
