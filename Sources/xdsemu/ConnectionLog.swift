import PushCore
import XDSModel
import XDSServer

/// Prints, as they happen, proxies connecting and leaving and each ACK or NACK they send: what a
/// user of `xdsemu run` watches while pointing an Envoy at it. Polls the server's connection table.
struct ConnectionLog {
    let server: XDSServer

    func follow() async {
        var seen: [StreamID: ConnectionStatus] = [:]
        while !Task.isCancelled {
            let now = Dictionary(uniqueKeysWithValues: server.connections().map { ($0.stream, $0) })
            for (id, connection) in now.sorted(by: { $0.key < $1.key }) {
                let before = seen[id]
                let who = connection.node?.id ?? id.description
                if before == nil || (before?.node == nil && connection.node != nil) {
                    print("proxy \(who) connected (\(connection.kind == .delta ? "delta" : "state of the world") ADS)")
                }
                for (type, watch) in connection.watches.sorted(by: { $0.key < $1.key }) {
                    let old = before?.watches[type]
                    if let nack = watch.lastNack, nack != old?.lastNack {
                        print("proxy \(who) NACK \(type.shortName): \(nack.message)")
                    } else if watch.isInSync, watch.ackedNonce != old?.ackedNonce {
                        print("proxy \(who) ACK \(type.shortName) version \(watch.ackedVersion?.rawValue ?? "")")
                    }
                }
            }
            for (id, gone) in seen where now[id] == nil {
                print("proxy \(gone.node?.id ?? id.description) disconnected")
            }
            seen = now
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
