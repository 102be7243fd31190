import Foundation
import Kubernetes
import TestKit
import Testing

/// A second real client: the official Kubernetes Python client (PyPI `kubernetes`, installed by
/// scripts/setup-venv) runs `tests/kube/python_client.py` against an emulator, reading the
/// kubeconfig `xdsemu up` writes (server `http://127.0.0.1:PORT/token/<token>`, plus the token
/// as the user's bearer token). The script asserts each answer itself and prints one `ok` line
/// per step; a step it skipped fails here.
@Suite(.serialized)
struct PythonClientTests {
    static let script = RealPeers.packageRoot.appending(path: "tests/kube/python_client.py").path

    static func run(_ mode: [String], _ h: KubectlHarness) async throws -> ProcessRun {
        try await ChildProcess.run(
            try ScriptRun.python().path, [script, h.emulator.kubeconfigPath] + mode, environment: ["HOME": h.directory],
            directory: h.directory, timeout: .seconds(120))
    }

    static func steps(_ run: ProcessRun) -> [String] {
        run.lines.compactMap { line in
            guard line.hasPrefix("ok "), let colon = line.firstIndex(of: ":") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: 3)..<colon])
        }
    }

    @Test func podsAndDeployments() async throws {
        let h = try await KubectlHarness.start()
        let run = try await Self.run(["builtins"], h)
        #expect(run.status == 0, "\(run)")
        #expect(
            Self.steps(run) == [
                "list", "paginated list", "watch from resourceVersion", "bookmark", "watch 410", "patch pod", "apply conflict",
                "apply create", "delete",
            ], "\(run)")
        // What the client did is in the world: its namespace stays, its objects are gone.
        let world = h.cluster.world
        #expect(world.get(ObjectKey(.namespaces, name: "pyclient")) != nil)
        #expect(world.list(.pods, namespace: "pyclient").filter { !$0.isTerminating }.map(\.name) == [])
        #expect(world.list(.deployments, namespace: "pyclient").isEmpty)
        await h.stop()
    }

    /// The script's `custom` mode creates, lists, watches, merge-patches, server-side applies (a
    /// list in a kind without a schema is atomic) and deletes one object through `CustomObjectsApi`.
    /// Istio's kinds are served through the CRDs its install created (1.5.4's Base chart).
    static func customObjects(plural: String, kind: String) async throws {
        try await KubectlHarness.withLive { h in
            let run = try await Self.run(["custom", plural, kind], h)
            #expect(run.status == 0, "\(run)")
            #expect(Self.steps(run) == ["create and list", "watch", "apply", "delete"], "\(run)")
        }
    }

    @Test func istioEnvoyFilterThroughCustomObjectsAPI() async throws {
        try await Self.customObjects(plural: "envoyfilters", kind: "EnvoyFilter")
    }

    @Test func istioVirtualServiceThroughCustomObjectsAPI() async throws {
        try await Self.customObjects(plural: "virtualservices", kind: "VirtualService")
    }
}
