import Foundation
import TestKit
import XDSModel
import XDSWire

/// A peer that opens `streams` ADS streams on one HTTP/2 connection with a receive window of zero
/// and then never reads: the server can send each stream headers but no message, so every send
/// to it stays outstanding. Raw HTTP/2 from python3 (the gRPC client always reads and grants
/// window), so no socket code is needed in Swift.
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
            "python3", "-c", script, String(port), hex, AggregatedDiscoveryService.streamAggregatedResourcesPath,
            String(streams),
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

    static let script = #"""
    import signal, socket, struct, sys
    port, message, path, count = int(sys.argv[1]), bytes.fromhex(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    def frame(kind, flags, stream, payload):
        return struct.pack(">I", len(payload))[1:] + bytes([kind, flags]) + struct.pack(">I", stream) + payload
    def literal(name, value):
        return b"\x00" + bytes([len(name)]) + name.encode() + bytes([len(value)]) + value.encode()
    headers = b"".join(literal(n, v) for n, v in [(":method", "POST"), (":scheme", "http"), (":path", path),
        (":authority", "127.0.0.1:%d" % port), ("content-type", "application/grpc"), ("te", "trailers")])
    data = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    data += frame(4, 0, 0, struct.pack(">HI", 4, 0))  # SETTINGS_INITIAL_WINDOW_SIZE = 0
    data += frame(4, 1, 0, b"")                       # ACK the server's SETTINGS
    for i in range(count):                            # client streams are odd: 1, 3, 5, ...
        data += frame(1, 4, 2 * i + 1, headers)
        data += frame(0, 0, 2 * i + 1, b"\x00" + struct.pack(">I", len(message)) + message)
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(data)
    signal.alarm(60)                                  # never outlive a lost test
    sys.stdin.read()                                  # never read the socket; exit when told
    """#
}
