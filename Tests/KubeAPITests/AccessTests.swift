import Foundation
import Kubernetes
import TestKit
import Testing

/// Who may talk to the API: only a client holding the bearer token `xdsemu up` wrote into its
/// kubeconfig (0600, in a 0700 state directory, the database 0600), and never a browser.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AccessTests {
    static func mode(_ path: String) throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) & 0o777
    }

    @Test func theCredentialAndTheStateArePrivateToTheUser() async throws {
        let h = try await KubectlHarness.start()
        let state = (h.emulator.kubeconfigPath as NSString).deletingLastPathComponent
        #expect(try Self.mode(state) == 0o700)
        #expect(try Self.mode(h.emulator.kubeconfigPath) == 0o600)
        #expect(try Self.mode(h.emulator.databasePath) == 0o600)
        let kubeconfig = try String(contentsOfFile: h.emulator.kubeconfigPath, encoding: .utf8)
        #expect(kubeconfig.contains("token: \"\(h.emulator.token)\"") && h.emulator.token.count == 64)
        await h.stop()
        // A new token at each start: an old kubeconfig stops working.
        let again = try await KubectlHarness.start(directory: h.directory)
        #expect(again.emulator.token != h.emulator.token)
        await again.stop()
    }

    /// Without the token, or with another, every path is 401 — the emulator's own endpoints too.
    @Test func everyRequestWithoutTheTokenIs401() async throws {
        let h = try await KubectlHarness.start()
        let paths = ["/version", "/api/v1/namespaces/default/secrets", "/apis/apps/v1/deployments", "/xdsemu/v1/proxies", "/xdsemu/v1/istiods", "/metrics", "/pods/default/x/clusters", "/nope"]
        for path in paths {
            for headers in [[:], ["Authorization": "Bearer wrong"], ["Authorization": "Basic \(h.emulator.token)"]] {
                let answer = try await h.request("GET", path, headers: headers, authorised: false)
                #expect(answer.status == 401 && RequestBodyTests.status(answer).reason == "Unauthorized", "\(path) \(headers): \(answer)")
            }
        }
        let delete = try await h.request("DELETE", "/apis/apps/v1/namespaces/default/deployments/details-v1", authorised: false)
        #expect(delete.status == 401)
        #expect(h.cluster.world.get(ObjectKey(.deployments, namespace: "default", name: "details-v1")) != nil)
        #expect(try await h.request("GET", "/version").status == 200)

        // The real kubectl sends the kubeconfig's token; with a wrong one it is refused.
        #expect(try await h.kubectl("get", "deployments").status == 0)
        let stale = h.directory + "/stale-kubeconfig"
        try String(contentsOfFile: h.emulator.kubeconfigPath, encoding: .utf8)
            .replacingOccurrences(of: h.emulator.token, with: String(repeating: "0", count: 64))
            .write(toFile: stale, atomically: true, encoding: .utf8)
        let refused = try await h.kubectl("--kubeconfig", stale, "get", "deployments")
        #expect(refused.status != 0 && refused.stderr.contains("You must be logged in to the server"), "\(refused)")
        await h.stop()
    }

    /// A page in a browser can send a `text/plain` POST to any port without a preflight; it
    /// carries an `Origin` and never the token. Each layer refuses it on its own.
    @Test func aRequestABrowserCouldForgeIsRefused() async throws {
        let h = try await KubectlHarness.start()
        let path = RequestBodyTests.configMaps
        let body = RequestBodyTests.configMap("forged")
        let forged = try await h.request("POST", path, body: body, contentType: "text/plain", headers: ["Origin": "http://evil.example"], authorised: false)
        #expect(forged.status == 401, "\(forged)")
        let withToken = try await h.request("POST", path, body: body, contentType: "application/json", headers: ["Origin": "http://evil.example"])
        #expect(withToken.status == 403 && RequestBodyTests.status(withToken).reason == "Forbidden", "\(withToken)")
        let read = try await h.request("GET", "/api/v1/namespaces/default/secrets", headers: ["Origin": "null"])
        #expect(read.status == 403)
        let plain = try await h.request("POST", path, body: body, contentType: "text/plain")
        #expect(plain.status == 415, "\(plain)")
        #expect(!RequestBodyTests.stored(h, "forged"))
        await h.stop()
    }

    /// Names that look like paths are refused (422 on create, 404 on a path), and nothing
    /// appears anywhere but the state directory.
    @Test func noObjectNameReachesTheFileSystem() async throws {
        let h = try await KubectlHarness.start()
        let state = (h.emulator.kubeconfigPath as NSString).deletingLastPathComponent
        let before = try Self.tree(h.directory)
        let names = ["..", ".", "a/b", "../../escape", "..%2F..%2Fescape", "/etc/passwd", String(repeating: "a", count: 300)]
        for name in names {
            let json = try JSONSerialization.data(withJSONObject: ["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": name]])
            let create = try await h.request("POST", RequestBodyTests.configMaps, body: json, contentType: "application/json")
            #expect(create.status == 422, "\(name): \(create)")
        }
        let paths = [
            "/api/v1/namespaces/default/configmaps/..%2F..%2Fescape", "/api/v1/namespaces/default/configmaps/a%2Fb",
            "/api/v1/namespaces/..%2F..%2Fetc/configmaps/passwd", "/api/v1/namespaces/default/configmaps/" + String(repeating: "b", count: 300),
        ]
        for path in paths {
            for method in ["GET", "DELETE"] {
                let answer = try await h.request(method, path)
                #expect([400, 404, 422].contains(answer.status), "\(method) \(path): \(answer)")
            }
            let put = try await h.request("PUT", path, body: RequestBodyTests.configMap("x"), contentType: "application/json")
            #expect([400, 404, 405, 422].contains(put.status), "PUT \(path): \(put)")
        }
        // A long but valid name (253 characters, DNS labels of at most 63) is stored in the
        // database like any other, not as a file.
        let long = [63, 63, 63, 61].map { String(repeating: "c", count: $0) }.joined(separator: ".")
        let created = try await h.request("POST", RequestBodyTests.configMaps, body: RequestBodyTests.configMap(long), contentType: "application/json")
        #expect(created.status == 201, "\(created)")
        let after = try Self.tree(h.directory)
        #expect(after.filter { !$0.hasPrefix("state/") && $0 != "state" } == before.filter { !$0.hasPrefix("state/") && $0 != "state" })
        let parent = (h.directory as NSString).deletingLastPathComponent
        #expect(!FileManager.default.fileExists(atPath: parent + "/escape") && !FileManager.default.fileExists(atPath: h.directory + "/escape"))
        let stateFiles = Set(try FileManager.default.contentsOfDirectory(atPath: state))
        #expect(stateFiles.isSubset(of: ["lock", "kubeconfig", "world.sqlite", "world.sqlite-wal", "world.sqlite-shm"]), "\(stateFiles)")
        await h.stop()
    }

    /// Every path under `root`, relative to it.
    static func tree(_ root: String) throws -> Set<String> {
        Set(try FileManager.default.subpathsOfDirectory(atPath: root))
    }
}
