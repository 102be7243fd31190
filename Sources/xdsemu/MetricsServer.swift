import Hummingbird
import Logging
import XDSServer

/// The daemon's admin port on 127.0.0.1: `/metrics` in Prometheus text format (istiod's metric
/// names where they mean the same), for `xdsemu run`.
enum MetricsServer {
    static func application(for server: XDSServer, port: Int, onListening: @escaping @Sendable (Int) -> Void)
        -> some ApplicationProtocol
    {
        let router = Router()
        router.get("metrics") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: server.metrics().prometheusText())))
        }
        var logger = Logger(label: "xdsemu.metrics")
        logger.logLevel = .warning
        return Application(
            router: router,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { onListening($0.localAddress?.port ?? port) },
            logger: logger)
    }
}
