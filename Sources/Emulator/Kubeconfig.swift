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
        // Created empty and private first, then filled: the token is never in a file others can read.
        do {
            guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600])
            else { throw EmulatorError("cannot create \(temporary)") }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: temporary))
            try handle.write(contentsOf: Data(text(server: server, token: token).utf8))
            try handle.close()
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary)
            // rename(2): a reader sees the old file or the new one, never none.
            guard rename(temporary, path) == 0 else { throw EmulatorError(String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw EmulatorError("cannot write kubeconfig \(path): \(error)")
        }
    }
}
