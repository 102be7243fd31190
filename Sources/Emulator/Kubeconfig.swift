#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The kubeconfig `xdsemu up` writes so the real kubectl talks to the emulator: one cluster,
/// user and context named `xdsemu`, plain HTTP on loopback. The token, the one credential the
/// API accepts, is in the user (what istioctl sends as a bearer token) and in the server URL's
/// path (kubectl sends user credentials to https servers only). The file is the credential, so
/// it is written 0600.
enum Kubeconfig {
    static func text(server: String, token: String, namespace: String = "default") -> String {
        """
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: \(server)
          name: xdsemu
        contexts:
        - context:
            cluster: xdsemu
            namespace: \(namespace)
            user: xdsemu
          name: xdsemu
        current-context: xdsemu
        preferences: {}
        users:
        - name: xdsemu
          user:
            token: "\(token)"

        """
    }

    /// 32 random bytes as hex: a fresh credential for each start, so a kubeconfig left from an
    /// earlier run (or copied elsewhere) stops working when the daemon restarts.
    static func newToken() -> String {
        var rng = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }.joined()
    }

    /// Writes through a 0600 temporary file renamed into place: no moment where the token is
    /// readable by others, and a reader never sees half a file.
    static func write(server: String, token: String, to path: String) throws(EmulatorError) {
        let dir = (path as NSString).deletingLastPathComponent
        do {
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        } catch {
            throw EmulatorError("cannot write kubeconfig \(path): \(error.localizedDescription)")
        }
        let temporary = path + ".tmp"
        let bytes = Array(text(server: server, token: token).utf8)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw EmulatorError("cannot write kubeconfig \(path): \(String(cString: strerror(errno)))") }
        let written = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress, $0.count) }
        let ok = written == bytes.count && fchmod(fd, 0o600) == 0
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw EmulatorError("cannot write kubeconfig \(path): \(reason)")
        }
    }
}

/// `write(2)`, named apart from `Kubeconfig.write`.
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    write(fd, buffer, count)
}
