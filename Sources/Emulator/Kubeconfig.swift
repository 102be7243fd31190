import Foundation

/// The kubeconfig `xdsemu up` writes so the real kubectl talks to the emulator: one cluster,
/// user and context named `xdsemu`, plain HTTP on loopback (no credentials to leak or check).
enum Kubeconfig {
    static func text(server: String, namespace: String = "default") -> String {
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
          user: {}

        """
    }

    static func write(server: String, to path: String) throws(EmulatorError) {
        let dir = (path as NSString).deletingLastPathComponent
        do {
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            try text(server: server).write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw EmulatorError("cannot write kubeconfig \(path): \(error.localizedDescription)")
        }
    }
}
