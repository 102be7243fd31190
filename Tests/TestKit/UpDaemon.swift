import Foundation
import Testing

/// `xdsemu up` as a separate process, the way a user runs it (optionally under a shell's
/// `ulimit -n`), for tests that kill it, count its descriptors or read its sockets from /proc.
/// `stop()` SIGKILLs it; the state directory stays for a second daemon until `remove()`.
package final class UpDaemon: Sendable {
    package let directory: String
    package let process: ChildProcess

    package var state: String { "\(directory)/state" }
    package var kubeconfig: String { "\(state)/kubeconfig" }
    package var database: String { "\(state)/world.sqlite" }
    package var pid: Int32 { process.pid }
    package var environment: [String: String] { ["KUBECONFIG": kubeconfig, "HOME": directory, "PATH": "/usr/bin:/bin"] }

    /// Starts the daemon in `directory` (a fresh one when nil) and waits until it says it is ready.
    package init(directory: String? = nil, openFiles: Int? = nil, extra: [String] = []) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu), "build the xdsemu product first")
        let dir = try directory ?? RealPeers.scratchDirectory("xdsemu-up")
        self.directory = dir
        let up = [RealPeers.xdsemu, "up", "--state-dir", "\(dir)/state", "--step-ms", "20"] + extra
        if let openFiles {
            // The shell's `exec` keeps the PID: the limit applies to the daemon itself.
            process = try ChildProcess(
                "/bin/sh", ["-c", "ulimit -n \(openFiles) && exec \"$@\"", "sh"] + up, directory: dir, mergingStandardError: true)
        } else {
            process = try ChildProcess(up[0], Array(up.dropFirst()), directory: dir, mergingStandardError: true)
        }
        let process = self.process
        try await eventually(process.stdout, timeout: .seconds(60)) {
            process.stdout.contains("Press Ctrl-C to stop.") || !process.isRunning
        }
        try #require(process.isRunning, "xdsemu up exited: \(process.stdout)")
    }

    /// The API's base URL with the token path the kubeconfig carries.
    package func serverURL() throws -> String {
        let text = try String(contentsOfFile: kubeconfig, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("server: ") })
        return String(line.split(separator: " ").last ?? "")
    }

    package func kubectl(_ args: String..., timeout: Duration = .seconds(60)) async throws -> ProcessRun {
        try await ChildProcess.run(RealPeers.kubectl, args, environment: environment, directory: directory, timeout: timeout)
    }

    /// SIGKILL, as `kill -9` does.
    package func stop() { process.kill() }

    package func remove() { try? FileManager.default.removeItem(atPath: directory) }

    /// The daemon's open descriptors.
    package var openFiles: Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1 }

    /// Every listening TCP socket the daemon holds, as `ADDRESS:PORT`.
    package func listeners() throws -> [String] { try Self.listeners(ofProcess: pid) }

    /// Every listening TCP socket process `pid` holds, as `ADDRESS:PORT` (from /proc: the socket
    /// inodes among its descriptors, matched against the kernel's IPv4 and IPv6 tables).
    package static func listeners(ofProcess pid: Int32) throws -> [String] {
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
        var inodes: Set<String> = []
        for fd in fds {
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/\(fd)"),
                target.hasPrefix("socket:[")
            else { continue }
            inodes.insert(String(target.dropFirst(8).dropLast()))
        }
        var found: [String] = []
        for table in ["tcp", "tcp6"] {
            let text = (try? String(contentsOfFile: "/proc/\(pid)/net/\(table)", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n").dropFirst() {
                let f = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                guard f.count > 9, f[3] == "0A", inodes.contains(f[9]) else { continue }
                found.append(Self.address(f[1]))
            }
        }
        return found.sorted()
    }

    /// `0100007F:1F90` → `127.0.0.1:8080`. An IPv6 socket bound to an IPv4-mapped address
    /// (`::ffff:127.0.0.1`, how gRPC binds `127.0.0.1`) reaches only that IPv4 address and is
    /// shown as it; any other IPv6 address as its 32 hex digits.
    static func address(_ hex: String) -> String {
        let parts = hex.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1], radix: 16) else { return hex }
        var ip = String(parts[0])
        // /proc writes each 32-bit word in host (little-endian) order.
        if ip.count == 32, ip.hasPrefix("0000000000000000FFFF0000") { ip = String(ip.suffix(8)) }
        guard ip.count == 8, let raw = UInt32(ip, radix: 16) else { return "[\(ip)]:\(port)" }
        let bytes = (0..<4).map { String((raw >> (8 * UInt32($0))) & 0xFF) }
        return bytes.joined(separator: ".") + ":\(port)"
    }
}
