import Foundation
import TestKit
import XDSModel
import XDSWire

/// A peer that opens `streams` ADS streams on one HTTP/2 connection with a receive window of zero
/// and then never reads: the server can send each stream headers but no message, so every send
/// to it stays outstanding. Raw HTTP/2 from python3 (the gRPC client always reads and grants
/// window), so no socket code is needed in Swift: `tests/h2/never_reading_peer.py`, shared with the
/// bench's slow-consumer test.
struct StalledPeer {
    let process: Process
    /// Closing it tells the peer to exit (it waits on stdin; a test that fails before `stop()`
    /// leaves it to its own 60 s alarm).
    let stdin: Pipe

    static func start(port: Int, streams: Int, request: DiscoveryRequest) throws -> StalledPeer {
        let hex = request.wireBytes().map { String(format: "%02x", $0) }.joined()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "python3", RealPeers.packageRoot.appending(path: "tests/h2/never_reading_peer.py").path, String(port), hex,
            AggregatedDiscoveryService.streamAggregatedResourcesPath, String(streams),
        ]
        let stdin = Pipe()
        process.standardInput = stdin
        try process.run()
        return StalledPeer(process: process, stdin: stdin)
    }

    /// Tells the peer to exit and waits, polling: `waitUntilExit` would block one of the
    /// cooperative pool's two threads.
    func stop() async {
        try? stdin.fileHandleForWriting.close()
        _ = try? await eventually(timeout: .seconds(10)) { !process.isRunning }
    }
}
