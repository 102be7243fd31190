import JSON
/// The Envoy build a proxy of a given Istio version reports (`/server_info` `version`, the node's
/// `user_agent_build_version`). Istio 1.x ships Envoy 1.(x+8): 1.5 → 1.13, 1.6 → 1.14, … 1.20 → 1.28.
/// [inferred from Istio's release notes; the patch level is not modelled and reads 0.]
struct EnvoyBuild: Hashable, Sendable {
    var major: Int64 = 1
    var minor: Int64
    var patch: Int64 = 0
    /// A stable 40-hex "commit" per Istio version, so repeated runs print the same thing.
    var sha: String

    init(istioVersion: String) {
        let parts = istioVersion.split(separator: ".").compactMap { Int64($0) }
        minor = parts.count >= 2 && parts[0] == 1 ? parts[1] + 8 : 14
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        var sha = ""
        for round in 0..<3 {
            for byte in "\(istioVersion)#\(round)".utf8 {
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            let hex = String(hash, radix: 16)
            sha += String(repeating: "0", count: 16 - hex.count) + hex
        }
        self.sha = String(sha.prefix(40))
    }

    var versionString: String { "\(major).\(minor).\(patch)" }

    /// `<sha>/<version>/Clean/RELEASE/BoringSSL`, Envoy's `--version` form.
    var fullVersion: String { "\(sha)/\(versionString)/Clean/RELEASE/BoringSSL" }

    /// `BuildVersion` as Envoy echoes it in the node: `patch` omitted when 0.
    var buildVersion: JSONValue {
        var version: JSONObject = ["major_number": .int(major), "minor_number": .int(minor)]
        if patch != 0 { version["patch"] = .int(patch) }
        return .object([
            "version": .object(version),
            "metadata": .object([
                "build.type": "RELEASE", "revision.sha": .string(sha), "revision.status": "Clean",
                "ssl.version": "BoringSSL",
            ]),
        ])
    }
}
