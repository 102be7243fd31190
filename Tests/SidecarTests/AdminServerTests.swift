import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import Sidecar
import XDSModel

/// The shared admin server over real HTTP on loopback, with a live sidecar behind it.
@Suite(.timeLimit(.minutes(1))) struct AdminServerTests {
    func get(_ url: String) async throws -> (Int, String, String) {
        let (data, response) = try await URLSession.shared.data(from: try #require(URL(string: url)))
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, http.value(forHTTPHeaderField: "Content-Type") ?? "", String(decoding: data, as: UTF8.self))
    }

    @Test func servesEachPodsAdminUnderItsRoot() async throws {
        let admin = try await AdminServer.start()
        do {
            try await withServer { server in
                let (clusters, endpoints) = Fixtures.bookinfo()
                server.update(clusters: clusters, endpoints: endpoints)
                let sidecar = try Fixtures.startSidecar(port: server.port)
                admin.register(sidecar)
                #expect(await sidecar.waitUntil { $0.config.endpoints.count == 2 && $0.connection.isConnected })

                let base = admin.baseURL(namespace: "default", pod: Fixtures.pod.name)
                #expect(base == "http://127.0.0.1:\(admin.port)/pods/default/\(Fixtures.pod.name)")
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
        } catch {
            await admin.stop()
            throw error
        }
        await admin.stop()
    }
}
