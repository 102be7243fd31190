import Foundation
import JSON
import Kubernetes
import Istio
import Yams

/// Finds the emulator the way istioctl finds a cluster: `--kubeconfig`, then `KUBECONFIG` (first
/// file of the list), then `~/.kube/config`; the server is the current context's cluster.
/// With nothing answering there it says so in one line, with how to start one.
enum KubeconfigLocator {
    struct NotFound: Error, CustomStringConvertible {
        var description: String
    }

    static let howToStart = "start one with `xdsemu up` and `export KUBECONFIG=<state-dir>/kubeconfig`"

    /// The kubeconfig path in force and where it came from.
    static func path(_ env: IstioctlEnvironment) -> (path: String, source: String) {
        if let flag = env.kubeconfigFlag, !flag.isEmpty { return (flag, "--kubeconfig") }
        if let list = env.variables["KUBECONFIG"], let first = list.split(separator: ":").first, !first.isEmpty {
            return (String(first), "KUBECONFIG")
        }
        let home = env.variables["HOME"] ?? NSHomeDirectory()
        return ("\(home)/.kube/config", "~/.kube/config")
    }

    /// The current context's API server URL and its user's bearer token (`users[].user.token`),
    /// which the emulator requires on every request.
    static func target(_ env: IstioctlEnvironment) throws(NotFound) -> (server: URL, token: String?) {
        let (path, source) = path(env)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw NotFound(description: "no xdsemu emulator: no kubeconfig at \(path) (from \(source)); \(howToStart)")
        }
        guard let config = (try? Yams.load(yaml: text)) as? [String: Any] else {
            throw NotFound(description: "no xdsemu emulator: \(path) is not a kubeconfig; \(howToStart)")
        }
        let current = config["current-context"] as? String ?? ""
        let contexts = config["contexts"] as? [[String: Any]] ?? []
        let context = contexts.first { $0["name"] as? String == current }?["context"] as? [String: Any]
        let clusterName = context?["cluster"] as? String
        let clusters = config["clusters"] as? [[String: Any]] ?? []
        let cluster = clusters.first { $0["name"] as? String == clusterName } ?? (clusters.count == 1 ? clusters[0] : nil)
        guard let server = (cluster?["cluster"] as? [String: Any])?["server"] as? String, let url = URL(string: server) else {
            throw NotFound(description: "no xdsemu emulator: \(path) names no cluster server for context \"\(current)\"; \(howToStart)")
        }
        let userName = context?["user"] as? String
        let users = config["users"] as? [[String: Any]] ?? []
        let user = users.first { $0["name"] as? String == userName } ?? (users.count == 1 ? users[0] : nil)
        return (url, (user?["user"] as? [String: Any])?["token"] as? String)
    }

    /// A client for the emulator, after checking it answers and is an xdsemu.
    static func connect(_ env: IstioctlEnvironment) async throws -> KubeClient {
        let (url, token) = try target(env)
        let client = KubeClient(server: url, token: token)
        let (path, source) = path(env)
        let version: JSONValue
        do {
            version = try await client.version(timeout: 3)
        } catch let failure as KubeClient.Failure where failure.status == 401 {
            throw NotFound(
                description: "the xdsemu emulator at \(url.absoluteString) refused the token in \(path) (from \(source)): use the kubeconfig the running `xdsemu up` wrote (a new token at each start)")
        } catch {
            throw NotFound(description: "no xdsemu emulator is answering at \(url.absoluteString) (kubeconfig \(path), from \(source)); \(howToStart)")
        }
        // xdsemu's API server reports a `-xdsemu` git version.
        guard version["gitVersion"]?.stringValue?.hasSuffix("-xdsemu") ?? false else {
            throw NotFound(description: "\(url.absoluteString) (kubeconfig \(path)) is not an xdsemu emulator; \(howToStart)")
        }
        return client
    }
}

