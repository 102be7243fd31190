import Foundation
import Kubernetes
import ServiceLifecycle

/// Moves the world along in real time: wakes every `interval` and, when something is due (a pod's
/// next step, the end of a termination), lets the live world do it. On graceful shutdown it closes
/// the live world, which ends every open watch so the HTTP server can drain.
package struct WorldDriver: Service {
    let cluster: LiveWorld
    let interval: Duration

    package init(cluster: LiveWorld, interval: Duration) {
        self.cluster = cluster
        self.interval = interval
    }

    package func run() async throws {
        await withGracefulShutdownHandler {
            await cancelWhenGracefulShutdown {
                var lastFailure = ""
                while !Task.isCancelled {
                    do { try await Task.sleep(for: interval) } catch { break }
                    if let due = cluster.world.nextDue, due <= cluster.clock.now() {
                        // A failed tick (the store refused) is retried on the next wake-up;
                        // said once per kind of failure.
                        do throws(WorldError) { try await cluster.tick() } catch {
                            if error.message != lastFailure {
                                lastFailure = error.message
                                FileHandle.standardError.write(Data("xdsemu: the cluster could not move on: \(error.message)\n".utf8))
                            }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            cluster.close()
        }
        cluster.close()
    }
}
