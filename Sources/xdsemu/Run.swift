import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import EnvoyConfig
import XDSServer

/// `xdsemu run`: one revision's xDS server on loopback with a sample snapshot, and a bootstrap
/// that points a real Envoy at it. The smallest way to see the wire protocol work.
struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a sample snapshot (bookinfo's clusters and endpoints) over ADS on 127.0.0.1 and write an Envoy bootstrap for it."
    )

    @Option(help: "xDS port on 127.0.0.1 (0 picks a free one).")
    var port = 0

    @Option(name: .customLong("admin-port"), help: "Port on 127.0.0.1 for /metrics (0 picks a free one).")
    var adminPort = 0

    @Option(help: "Where to write the Envoy bootstrap.")
    var bootstrap = ".xdsemu/envoy-bootstrap.json"

    @Option(name: .customLong("envoy-admin-port"), help: "The admin port written into the bootstrap, for Envoy.")
    var envoyAdminPort = 15000

    @Option(help: "The istiod service host the bootstrap names as the xds-grpc endpoint's hostname.")
    var host = "istiod.istio-system.svc"

    func validate() throws {
        for (name, value) in [("--port", port), ("--admin-port", adminPort), ("--envoy-admin-port", envoyAdminPort)]
        where !(0...65535).contains(value) {
            throw ValidationError("\(name) must be a port number from 0 to 65535, not \(value)")
        }
    }

    func run() async throws {
        let server: XDSServer
        do {
            server = try XDSServer(configuration: .init(port: port, controlPlaneIdentifier: "istiod-xdsemu"))
        } catch {
            throw CLIError("cannot serve xDS on 127.0.0.1:\(port): \(error)")
        }
        server.update(clusters: SampleSnapshot.clusters, endpoints: SampleSnapshot.endpoints)

        let file = URL(fileURLWithPath: bootstrap).standardizedFileURL
        do {
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            let config = EnvoyBootstrap(xdsPort: server.port, xdsHostname: host, adminPort: envoyAdminPort)
            try config.json().write(to: file, atomically: true, encoding: .utf8)
        } catch {
            await server.stop()
            throw CLIError("cannot write the Envoy bootstrap \(file.path): \(error.localizedDescription)")
        }

        let version = server.snapshot(of: .cluster).version
        print("xdsemu: revision default (\(host)) serving ADS on 127.0.0.1:\(server.port)")
        print("sample snapshot: \(SampleSnapshot.clusters.count) clusters, \(SampleSnapshot.endpoints.count) endpoint assignments, version \(version)")
        print("Envoy bootstrap: \(file.path)")
        print("  try: .venv/bin/envoy -c \(file.path) --disable-hot-restart  (admin on 127.0.0.1:\(envoyAdminPort))")

        let log = Task { await ConnectionLog(server: server).follow() }
        let app = MetricsServer.application(for: server, port: adminPort) { bound in
            print("metrics: http://127.0.0.1:\(bound)/metrics")
            print("Press Ctrl-C to stop.")
            fflush(nil)
        }
        var logger = Logger(label: "xdsemu.run")
        logger.logLevel = .warning
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            log.cancel()
            await server.stop()
            throw CLIError("cannot serve /metrics on 127.0.0.1:\(adminPort): \(error)")
        }
        log.cancel()
        await server.stop()
        print("xdsemu: stopped")
    }
}

/// A one-line error for the user; ArgumentParser prints it as `Error: …` and exits non-zero.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
