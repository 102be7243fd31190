import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import KubeAPI
import Logging
import ServiceLifecycle
import Testing
import Sidecar
import XDSModel

/// The sidecars' admin routes over real HTTP on loopback, mounted alone on a router of their
/// own, with a live sidecar behind them.
@Suite(.timeLimit(.minutes(1))) struct AdminRoutesTests {
    func get(_ url: String) async throws -> (Int, String, String) {
        let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self))
    }

    /// Serves `admin`'s endpoints on 127.0.0.1 (a free port) while `body` runs.
    func serving(_ admin: AdminRoutes, _ body: (Int) async throws -> Void) async throws {
        let (ports, portSink) = AsyncStream<Int>.makeStream()
        let app = Application(
            router: Router().add(admin.endpoints),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0), serverName: nil),
            onServerRunning: { channel in
                portSink.yield(channel.localAddress?.port ?? 0)
                portSink.finish()
            })
        let group = ServiceGroup(configuration: .init(services: [app], logger: Logger(label: "admin-routes-test")))
        let running = Task {
            defer { portSink.finish() }
            try await group.run()
        }
        do {
            try await body(try #require(await ports.first { _ in true }))
        } catch {
            await group.triggerGracefulShutdown()
            _ = try? await running.value
            throw error
        }
        await group.triggerGracefulShutdown()
        try await running.value
    }

    @Test func servesEachPodsAdminUnderItsRoot() async throws {
        let admin = AdminRoutes()
        try await serving(admin) { port in
            admin.serve(at: "http://127.0.0.1:\(port)")
            try await withServer { server in
                let (clusters, endpoints) = Fixtures.bookinfo()
                server.update(clusters: clusters, endpoints: endpoints)
                let sidecar = try Fixtures.startSidecar(port: server.port)
                admin.register(sidecar)
                #expect(await sidecar.waitUntil { $0.config.endpoints.count == 2 && $0.connection.isConnected })

                let base = admin.baseURL(namespace: "default", pod: Fixtures.pod.name)
                #expect(base == "http://127.0.0.1:\(port)/pods/default/\(Fixtures.pod.name)")
                let (status, type, body) = try await get(base + "/clusters?format=json")
                #expect(status == 200 && type == "application/json")
                // What `proxy-config endpoints POD --cluster xds-grpc -o json | grep hostname` looks for.
                #expect(body.contains("\"hostname\": \"istiod-canary.istio-system.svc\""))
                #expect(body.contains("\"port_value\": \(server.port)"))
                #expect(body.contains("\"address\": \"10.44.0.10\""))

                let (dumpStatus, _, dump) = try await get(base + "/config_dump?include_eds")
                #expect(dumpStatus == 200 && dump.contains("EndpointsConfigDump"))
                let (infoStatus, _, info) = try await get(base + "/server_info")
                #expect(infoStatus == 200 && info.contains("\"state\": \"LIVE\""))
                let (badStatus, _, bad) = try await get(base + "/nope")
                #expect(badStatus == 404 && bad.hasPrefix("invalid path. admin commands are:"))

                admin.unregister(namespace: "default", pod: Fixtures.pod.name)
                let (gone, _, _) = try await get(base + "/clusters?format=json")
                #expect(gone == 404)
                await sidecar.stop()
            }
        }
    }
}
