/// push-bench's command line. The same executable plays three roles: the orchestrator (default),
/// which runs one server process per world × N × server kind; the server (`--role server`), which
/// spawns its load generator (`--role loadgen`). Every role is a fresh process, so each server's
/// memory is measured from a clean start and no process forks after gRPC is initialised.
struct BenchOptions: Sendable {
    enum Role: String, Sendable { case orchestrator, server, loadgen }

    var role = Role.orchestrator
    var worlds = ["bookinfo", "large"]
    var streams = [100, 1000]
    var streamsPerConnection = 1
    var servers = ["xds", "raw"]
    var port = 0
    var outDirectory = "results"
    var limitSeconds = 120
    var maxSendsInFlight = 1024

    static let usage = """
    usage: push-bench [--worlds bookinfo,large] [--streams 100,1000,5000,10000]
                      [--streams-per-connection 1] [--servers xds,raw] [--out DIR]
                      [--limit-seconds 120] [--max-sends-in-flight 1024]
    Prints a table, writes DIR/push-bench.json and DIR/push-bench.svg.
    """

    init(_ arguments: [String]) throws(UsageError) {
        var rest = arguments[...]
        func value(_ flag: String) throws(UsageError) -> String {
            guard let v = rest.popFirst() else { throw UsageError("\(flag) needs a value") }
            return v
        }
        func int(_ flag: String) throws(UsageError) -> Int {
            let v = try value(flag)
            guard let n = Int(v), n >= 0 else { throw UsageError("\(flag): not a number: \(v)") }
            return n
        }
        func list(_ flag: String) throws(UsageError) -> [String] {
            try value(flag).split(separator: ",").map(String.init)
        }
        while let flag = rest.popFirst() {
            switch flag {
            case "--role":
                let v = try value(flag)
                guard let role = Role(rawValue: v) else { throw UsageError("unknown role \(v)") }
                self.role = role
            case "--world", "--worlds":
                worlds = try list(flag)
                for w in worlds where BenchWorldName.valid(w) == false { throw UsageError("unknown world \(w)") }
            case "--streams", "-n":
                let values = try list(flag)
                streams = try values.map { (v: String) throws(UsageError) -> Int in
                    guard let n = Int(v), n > 0 else { throw UsageError("--streams: not a count: \(v)") }
                    return n
                }
            case "--streams-per-connection": streamsPerConnection = max(1, try int(flag))
            case "--server", "--servers":
                servers = try list(flag)
                for s in servers where s != "xds" && s != "raw" { throw UsageError("unknown server \(s)") }
            case "--port": port = try int(flag)
            case "--out": outDirectory = try value(flag)
            case "--limit-seconds": limitSeconds = max(1, try int(flag))
            case "--max-sends-in-flight": maxSendsInFlight = max(1, try int(flag))
            case "--help", "-h": throw UsageError("")
            default: throw UsageError("unknown option \(flag)")
            }
        }
    }

    /// The flags a child process needs to play `role` for one world, N and server.
    func childArguments(role: Role, world: String, streams: Int, server: String, port: Int = 0) -> [String] {
        [
            "--role", role.rawValue, "--world", world, "--streams", String(streams),
            "--streams-per-connection", String(streamsPerConnection), "--server", server, "--port", String(port),
            "--limit-seconds", String(limitSeconds), "--max-sends-in-flight", String(maxSendsInFlight),
        ]
    }
}

struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

enum BenchWorldName {
    static func valid(_ name: String) -> Bool { name == "bookinfo" || name == "large" }
}
