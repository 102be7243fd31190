import Foundation
import TestKit
import Testing
import XDSWire

/// The .proto subset and its generated C code stay honest: field numbers match the official Envoy
/// descriptors, and the committed protobuf-c output matches what protos/ generates.
@Suite struct ProtoToolingTests {
    @Test func protoFieldsMatchOfficialDescriptors() async throws {
        let run = try await ScriptRun.run(
            ScriptRun.python(), [ScriptRun.packageRoot.appending(path: "scripts/check-proto-fields.py").path])
        #expect(run.status == 0, "scripts/check-proto-fields.py failed:\n\(run.stdout)\(run.stderr)")
        #expect(run.stdout.contains("0 mismatches"), "unexpected output:\n\(run.stdout)")
    }

    @Test func fieldCheckCatchesAWrongNumber() async throws {
        // The check above must be able to fail: renumber one field in a copy of protos/.
        let dir = try ScriptRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let copy = dir.appending(path: "protos")
        // Resolved first: copying a symlink would copy the link, and the edit would reach protos/.
        let protos = ScriptRun.packageRoot.appending(path: "protos").resolvingSymlinksInPath()
        try FileManager.default.copyItem(at: protos, to: copy)
        try #require((try? FileManager.default.destinationOfSymbolicLink(atPath: copy.path)) == nil)
        let file = copy.appending(path: "envoy/config/endpoint/v3/endpoint_components.proto")
        let original = try String(contentsOf: file, encoding: .utf8)
        let edited = original.replacingOccurrences(of: "uint32 priority = 5;", with: "uint32 priority = 6;")
        try #require(edited != original, "the fixture line moved: update this test")
        try edited.write(to: file, atomically: true, encoding: .utf8)

        let run = try await ScriptRun.run(
            ScriptRun.python(),
            [ScriptRun.packageRoot.appending(path: "scripts/check-proto-fields.py").path, "--protos", copy.path])
        #expect(run.status == 1)
        #expect(run.stdout.contains("LocalityLbEndpoints.priority: number 6, official 5"), "\(run.stdout)\(run.stderr)")
    }

    @Test func generatedCodeIsUpToDate() async throws {
        let run = try await ScriptRun.run(ScriptRun.packageRoot.appending(path: "scripts/check-protos"), [])
        #expect(run.status == 0, "scripts/check-protos failed (run scripts/gen-protos):\n\(run.stdout)\(run.stderr)")
    }
}

@Suite struct AggregatedDiscoveryServiceTests {
    @Test func methodPathsAreTheOfficialOnes() {
        // gRPC paths Envoy calls (envoy/service/discovery/v3/ads.proto).
        #expect(
            AggregatedDiscoveryService.streamAggregatedResourcesPath
                == "/envoy.service.discovery.v3.AggregatedDiscoveryService/StreamAggregatedResources")
        #expect(
            AggregatedDiscoveryService.deltaAggregatedResourcesPath
                == "/envoy.service.discovery.v3.AggregatedDiscoveryService/DeltaAggregatedResources")
    }
}
