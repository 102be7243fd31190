import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Synchronization
import TestKit
import Testing

/// `xdsemu up` as a process, hurt the way users and machines hurt it: its sockets read from
/// /proc, a `kill -9` in the middle of a burst of writes, too few file descriptors.
@Suite(.serialized)
struct DaemonFaultTests {
    /// Every listening socket of the daemon (the API server and each istiod's xDS port) is on
    /// 127.0.0.1.
    @Test func everyListenerIsOnLoopback() async throws {
        let up = try await UpDaemon()
        defer {
            up.stop()
            up.remove()
        }
        try await eventually(up.process.stdout) { up.process.stdout.contains("7 connected over xDS") }
        // The API server and istiod's xDS server at least (read until both show: /proc is read
        // while the daemon runs).
        try await eventually(up.process.stdout) { try up.listeners().count >= 2 }
        let listeners = try up.listeners()
        #expect(listeners.allSatisfy { $0.hasPrefix("127.0.0.1:") }, "\(listeners)")
    }

    /// Creates ConfigMaps as fast as the daemon answers, `kill -9`s it while creates are in
    /// flight, and checks that every create answered 201 is in the database (which passes
    /// SQLite's integrity check) and served by the next `up`, with the same Deployments.
    @Test func killDuringWriteBurstLosesNoAcknowledgedWrite() async throws {
        let first = try await UpDaemon()
        defer { first.remove() }
        let server = try first.serverURL()
        let deployments = try await first.kubectl("get", "deployments", "-A", "-o", "name")
        let acknowledged = Acknowledged()
        let burst = Task {
            await withTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for i in 0..<500 {
                            let name = "burst-\(worker)-\(i)"
                            guard await Self.create(configMap: name, at: server) else { return }
                            acknowledged.add(name)
                        }
                    }
                }
            }
        }
        try await eventually("\(acknowledged.count)", timeout: .seconds(60)) { acknowledged.count >= 40 }
        first.stop()
        await burst.value
        let names = acknowledged.names
        #expect(names.count < 2000, "the burst ended before the kill")

        let check = try await ChildProcess.run(
            try ScriptRun.python().path,
            ["-c", "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute('PRAGMA integrity_check').fetchone()[0])", first.database],
            directory: first.directory)
        #expect(check.stdout == "ok\n", "\(check)")

        let second = try await UpDaemon(directory: first.directory)
        defer { second.stop() }
        let stored = try await second.kubectl("get", "configmaps", "-n", "default", "-o", "name")
        let served = Set(stored.lines.map { String($0.dropFirst("configmap/".count)) })
        let lost = names.filter { !served.contains($0) }
        #expect(lost.isEmpty, "acknowledged but lost: \(lost)")
        let after = try await second.kubectl("get", "deployments", "-A", "-o", "name")
        #expect(after.stdout == deployments.stdout)
    }

    /// With `ulimit -n 256`, more pods than descriptors for their proxies and a crowd of idle API
    /// connections: the daemon starts the proxies it can, says once why it starts no more, never
    /// traps or spins, and serves kubectl again once the load is gone.
    @Test func outOfDescriptorsDegradesAndRecovers() async throws {
        let up = try await UpDaemon(openFiles: 256)
        defer {
            up.stop()
            up.remove()
        }
        let scale = try await up.kubectl("scale", "deployment", "details-v1", "--replicas=150")
        #expect(scale.status == 0, "\(scale)")
        try await eventually(up.process.stdout, timeout: .seconds(120)) {
            up.process.stdout.contains("xdsemu: not starting the proxy of pod default/details-v1-")
        }
        // Idle connections to the API until it refuses (or 200 are open; more would wait in
        // connect once the listen backlog is full), held by a Python child until it is killed.
        let url = try #require(URL(string: try up.serverURL()))
        let crowd = try ChildProcess(
            RealPeers.python, ["-c", Self.crowdScript, String(try #require(url.port)), "200"], directory: up.directory)
        defer { crowd.kill() }
        try await eventually(crowd.stdout) { crowd.stdout.hasPrefix("open ") }
        #expect(up.process.isRunning, "\(up.process.stdout)")
        crowd.kill()
        // Load gone: kubectl is served, the pods are all there, and the daemon never trapped.
        try await eventually(up.process.stdout, timeout: .seconds(60)) {
            try await up.kubectl("get", "pods", "-n", "default", "--no-headers", timeout: .seconds(30)).lines
                .count { $0.hasPrefix("details-v1-") } == 150
        }
        _ = try await up.kubectl("scale", "deployment", "details-v1", "--replicas=1")
        let pods = try await up.kubectl("get", "pods", "-n", "default")
        #expect(pods.status == 0, "\(pods)")
        #expect(up.process.isRunning)
        #expect(!up.process.stdout.contains("Fatal error"), "\(up.process.stdout)")
        let refusals = up.process.stdout.split(separator: "\n").filter { $0.contains("not starting the proxy") }
        #expect(refusals.count == 1, "\(refusals)")
    }

    /// Opens up to argv[2] TCP connections to 127.0.0.1:argv[1], stopping at the first refusal,
    /// prints `open N` and holds them until killed.
    static let crowdScript = """
        import socket, sys, time
        held = []
        for _ in range(int(sys.argv[2])):
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect(("127.0.0.1", int(sys.argv[1])))
            except OSError:
                break
            held.append(s)
        print("open", len(held), flush=True)
        time.sleep(3600)
        """

    /// POST one ConfigMap; true only for a 201.
    static func create(configMap name: String, at server: String) async -> Bool {
        guard let url = URL(string: server + "/api/v1/namespaces/default/configmaps") else { return false }
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)"},"data":{"k":"v"}}"#.utf8)
        guard let (_, response) = try? await URLSession.shared.data(for: request) else { return false }
        return (response as? HTTPURLResponse)?.statusCode == 201
    }

    final class Acknowledged: Sendable {
        private let m = Mutex<[String]>([])
        func add(_ name: String) { m.withLock { $0.append(name) } }
        var names: [String] { m.withLock { $0 } }
        var count: Int { m.withLock { $0.count } }
    }
}
