import Foundation
import TestKit
import Testing
import XDSModel
import XDSWire

/// Wire compatibility with the official Envoy protos, both ways, through
/// tests/wire/official_compat.py (official classes from xds-protos in .venv):
/// our bytes must parse there to the same fields (and equal the official deterministic bytes), and
/// the official bytes must decode here to the same values.
@Suite struct OfficialCompatibilityTests {
    @Test func bothDirectionsAgreeWithOfficialProtos() async throws {
        let python = try ScriptRun.python()
        let dir = try ScriptRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let oursURL = dir.appending(path: "ours.json"), officialURL = dir.appending(path: "official.json")

        var ours: [String: String] = [:]
        for c in WireFixtures.all where c.encodes { ours[c.name] = hex(c.encode()) }
        try JSONEncoder().encode(["cases": ours]).write(to: oursURL)

        let run = try await ScriptRun.run(python, [
            ScriptRun.packageRoot.appending(path: "tests/wire/official_compat.py").path,
            "--ours", oursURL.path, "--out", officialURL.path,
        ])
        #expect(run.status == 0, "official_compat.py: our encodings disagree with the official protos:\n\(run.stderr)\(run.stdout)")

        let official = try JSONDecoder().decode([String: [String: String]].self, from: Data(contentsOf: officialURL))["cases"] ?? [:]
        #expect(Set(official.keys) == Set(WireFixtures.all.map(\.name)), "the case lists differ between Swift and Python")
        for c in WireFixtures.all {
            let bytes = try #require(official[c.name].flatMap(unhex), "no official bytes for \(c.name)")
            if let difference = c.decodeAndCompare(bytes) {
                Issue.record("\(c.name): official bytes decode differently: \(difference)")
            }
        }
    }

    private func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out += [digits[Int(b >> 4)], digits[Int(b & 0xF)]] }
        return String(decoding: out, as: UTF8.self)
    }

    private func unhex(_ s: String) -> [UInt8]? {
        let chars = Array(s.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        var i = 0
        while i < chars.count {
            guard let b = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(b)
            i += 2
        }
        return out
    }
}
