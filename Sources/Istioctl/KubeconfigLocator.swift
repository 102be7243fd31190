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

    /// The API server URL of the current context.
    static func server(_ env: IstioctlEnvironment) throws(NotFound) -> URL {
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
        return url
    }

    /// A client for the emulator, after checking it answers and is an xdsemu.
    static func connect(_ env: IstioctlEnvironment) async throws -> KubeClient {
        let url = try server(env)
        let client = KubeClient(server: url)
        let (path, source) = path(env)
        let version: JSONValue
        do {
            version = try await client.version(timeout: 3)
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

