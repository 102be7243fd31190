import Emulator
import Foundation
import Kubernetes
import KubeRuntime
import TestKit
import Testing

/// A database the daemon cannot write: every write fails with one clear 500 Status and changes
/// nothing, reads keep being served from memory, and writing works again once the database does.
///
/// Tests run as root, which file modes do not stop, and SQLite keeps the descriptor it opened, so
/// `chmod` cannot make the file unwritable; another process holding SQLite's exclusive lock
/// can, for any user, as a backup tool or a stray `sqlite3` shell would.
@Suite(.serialized)
struct PersistenceFaultTests {
    static let configMap = """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: written-while-locked
          namespace: default
        data:
          key: value
        """

    /// A Python (sqlite3 module) holding `BEGIN EXCLUSIVE` on `database` until it is killed.
    static func lock(_ database: String, directory: String) async throws -> ChildProcess {
        let script = """
            import sqlite3, sys, time
            c = sqlite3.connect(sys.argv[1], isolation_level=None)
            c.execute("BEGIN EXCLUSIVE")
            print("locked", flush=True)
            while True: time.sleep(3600)
            """
        let holder = try ChildProcess(RealPeers.python, ["-c", script, database], directory: directory)
        try await eventually("\(holder.result)", timeout: .seconds(30)) { holder.stdout.contains("locked") || !holder.isRunning }
        try #require(holder.isRunning, "\(holder.result)")
        return holder
    }

    @Test func anUnwritableDatabaseFailsWritesWithA500AndKeepsServingReads() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.python), "no Python at \(RealPeers.python)")
        let h = try await KubectlHarness.start()
        let before = h.cluster.world
        let podsBefore = try await h.kubectl("get", "pods", "-n", "default")
        let holder = try await Self.lock(h.emulator.databasePath, directory: h.directory)

        let create = try await h.kubectl("apply", "-f", "-", input: Self.configMap)
        #expect(create.status != 0, "\(create)")
        #expect(create.stderr.contains("failed to persist the change: "), "\(create)")
        #expect(create.stderr.split(separator: "\n").count == 1, "\(create)")
        let scale = try await h.kubectl("scale", "deployment", "details-v1", "--replicas=3")
        #expect(scale.stderr.contains("failed to persist the change: "), "\(scale)")
        let delete = try await h.kubectl("delete", "deployment", "ratings-v1")
        #expect(delete.stderr.contains("failed to persist the change: "), "\(delete)")

        // Nothing half-applied, and reads still answered.
        #expect(h.cluster.world == before)
        let pods = try await h.kubectl("get", "pods", "-n", "default")
        #expect(pods.status == 0 && pods.stdout == podsBefore.stdout, "\(pods)")
        let missing = try await h.kubectl("get", "configmap", "written-while-locked")
        #expect(missing.stderr.contains("NotFound"), "\(missing)")

        holder.kill()
        let retried = try await h.kubectl("apply", "-f", "-", input: Self.configMap)
        #expect(retried.status == 0, "\(retried)")
        let directory = h.directory
        await h.stop()
        // What the daemon acknowledged is what the next one reads; the refused writes never were.
        let next = try await KubectlHarness.start(directory: directory)
        #expect(next.cluster.world.get(ObjectKey(.configMaps, namespace: "default", name: "written-while-locked")) != nil)
        #expect(next.cluster.world.list(.deployments, namespace: "default").map(\.name).contains("ratings-v1"))
        await next.stop()
    }
}
