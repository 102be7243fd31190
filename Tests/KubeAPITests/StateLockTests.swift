import Emulator
import Foundation
import KubeRuntime
import Kubernetes
import TestKit
import Testing

/// One writer per database file: a second daemon is refused whether it names the same state
/// directory or only the same database through `--db`.
struct StateLockTests {
    static func options(_ dir: String, db: String? = nil) -> Emulator.Options {
        Emulator.Options(stateDirectory: dir, databasePath: db, clock: ManualClock(KubectlHarness.start))
    }

    @Test func aSecondDaemonOnTheSameDatabaseIsRefusedAndTheFirstKeepsServing() async throws {
        let root = try KubectlHarness.makeDirectory()
        let first = try await Emulator.start(Self.options(root + "/a"))
        let database = root + "/a/world.sqlite"
        for second in [Self.options(root + "/a"), Self.options(root + "/b", db: database)] {
            await #expect {
                let intruder = try await Emulator.start(second)
                await intruder.stop()
            } throws: { error in
                "\(error)".contains("another xdsemu is already")
            }
        }
        #expect(first.cluster.world.list(.namespaces).count > 0)
        await first.stop()
        // Released on stop: the database can be opened by the next daemon.
        let next = try await Emulator.start(Self.options(root + "/b", db: database))
        #expect(next.restored)
        await next.stop()
    }
}
