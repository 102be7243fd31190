import Emulator
import Foundation
import Istio
import Kubernetes
import KubeRuntime
import Sidecar
import Testing

/// One emulator per test, its API on a free loopback port, and runners for the real kubectl and
/// the `istioctl` shim (`xdsemu shim`) pointed at it, each a `ChildProcess` in the test's
/// temporary directory (also kubectl's HOME, so its discovery cache is per test).
///
/// Two clocks: `start` drives time by hand (a `ManualClock`; pods move only when the test calls
/// `advance`), `startLive` runs on real time with Istio 1.5.4 installed and pods stepping every
/// 20 ms, so an install's waits are short.
package final class KubectlHarness: Sendable {
    package static let start = Timestamp(seconds: 1_767_225_600)  // 2026-01-01T00:00:00Z

    /// Proxies retry a lost istiod after at most a second (Envoy's cap is 30 s), so reconnect tests stay short.
    package static let quickReconnect = Sidecar.Configuration(backoff: Backoff(base: .milliseconds(100), cap: .seconds(1)))

    package let directory: String
    /// The hand-driven clock; nil for a live harness.
    package let clock: ManualClock?
    package let emulator: Emulator

    package var cluster: LiveWorld { emulator.cluster }

    private init(directory: String, clock: ManualClock?, emulator: Emulator) {
        self.directory = directory
        self.clock = clock
        self.emulator = emulator
    }

    package static func makeDirectory() throws -> String { try RealPeers.scratchDirectory("xdsemu-test") }

    /// Starts an emulator on a manual clock on `directory` (a fresh one when nil).
    package static func start(
        directory: String? = nil, clock: ManualClock? = nil, worldConfig: WorldConfig = WorldConfig(seed: 42)
    ) async throws -> KubectlHarness {
        let dir = try directory ?? makeDirectory()
        let clock = clock ?? ManualClock(start)
        let emulator = try await Emulator.start(
            Emulator.Options(
                stateDirectory: dir + "/state", worldConfig: worldConfig, clock: clock,
                watchHeartbeat: .milliseconds(200)))
        return KubectlHarness(directory: dir, clock: clock, emulator: emulator)
    }

    /// Starts an emulator on real time with `istio` installed; needs the built `xdsemu` for the shim.
    package static func startLive(
        istio: IstioVersion? = .v1_5_4, sidecar: Sidecar.Configuration = quickReconnect,
        envoy: SidecarFleet.EnvoySelection? = nil
    ) async throws -> KubectlHarness {
        try #require(
            FileManager.default.isExecutableFile(atPath: RealPeers.xdsemu), "build the xdsemu product first (\(RealPeers.xdsemu))")
        let dir = try makeDirectory()
        let emulator = try await Emulator.start(
            Emulator.Options(
                stateDirectory: dir + "/state", worldConfig: WorldConfig(seed: 42, stepMilliseconds: 20),
                tickInterval: .milliseconds(10), watchHeartbeat: .milliseconds(200), istio: istio, sidecar: sidecar,
                envoy: envoy))
        return KubectlHarness(directory: dir, clock: nil, emulator: emulator)
    }

    package func stop() async { await emulator.stop() }

    /// Runs `body` against a fresh live harness and stops it (killing any Envoy) whether `body`
    /// fails or not.
    package static func withLive(
        istio: IstioVersion? = .v1_5_4, envoy: SidecarFleet.EnvoySelection? = nil,
        _ body: (KubectlHarness) async throws -> Void
    ) async throws {
        let h = try await startLive(istio: istio, envoy: envoy)
        do {
            try await body(h)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// Moves the manual clock `steps` pod-lifecycle steps, letting the cluster act after each.
    package func advance(steps: Int) async throws {
        let clock = try #require(clock, "advance(steps:) needs a harness on a manual clock")
        for _ in 0..<steps {
            clock.advance(byMilliseconds: cluster.world.config.stepMilliseconds)
            try await cluster.tick()
        }
    }

    package var environment: [String: String] {
        ["KUBECONFIG": emulator.kubeconfigPath, "HOME": directory, "PATH": "/usr/bin:/bin"]
    }

    /// Runs kubectl to completion.
    package func kubectl(_ args: String..., input: String? = nil, timeout: Duration = .seconds(60)) async throws -> ProcessRun {
        try await ChildProcess.run(
            RealPeers.kubectl, args, environment: environment, directory: directory, input: input, timeout: timeout)
    }

    /// A kubectl left running (for `-w`): read its output as it grows, `stop()` it when done.
    package func launch(_ args: [String], input: String? = nil) throws -> ChildProcess {
        try ChildProcess(RealPeers.kubectl, args, environment: environment, directory: directory, input: input)
    }

    /// `xdsemu shim <dir>/<name> --istio-version <version>`; returns the istioctl path.
    package func shim(_ version: String) async throws -> String {
        let dir = "\(directory)/istio-\(version)"
        let run = try await ChildProcess.run(
            RealPeers.xdsemu, ["shim", dir, "--istio-version", version], environment: environment, directory: directory)
        #expect(run.status == 0, "\(run)")
        return "\(dir)/bin/istioctl"
    }

    /// The shim's istioctl for `version`, run to completion.
    package func istioctl(_ version: String, _ args: String..., input: String? = nil) async throws -> ProcessRun {
        let path = try await shim(version)
        return try await ChildProcess.run(path, args, environment: environment, directory: directory, input: input)
    }
}

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Plain HTTP to the emulator's API, for what kubectl cannot send.
extension KubectlHarness {
    /// What the server answered.
    package struct HTTPAnswer: Sendable, CustomStringConvertible {
        package var status: Int
        package var contentType: String
        package var body: Data
        package var text: String { String(decoding: body, as: UTF8.self) }
        package var description: String { "HTTP \(status) \(contentType): \(text.prefix(500))" }
    }

    /// The `Authorization` header the kubeconfig's user sends.
    package var authorization: String { "Bearer \(emulator.token)" }

    /// `method path` on the emulator's server, with the kubeconfig's token unless `authorised`
    /// is false; `headers` are added (or override) last.
    package func request(
        _ method: String = "GET", _ path: String, body: Data? = nil, contentType: String? = nil,
        headers: [String: String] = [:], authorised: Bool = true
    ) async throws -> HTTPAnswer {
        var request = URLRequest(url: try #require(URL(string: emulator.serverURL + path)), timeoutInterval: 30)
        request.httpMethod = method
        request.httpBody = body
        if authorised { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return HTTPAnswer(status: http.statusCode, contentType: http.value(forHTTPHeaderField: "Content-Type") ?? "", body: data)
    }
}

/// The columns of a kubectl table line.
package func columns(_ line: String) -> [String] {
    line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
}

/// `<deployment>-<pod-template-hash>-<suffix>` with Kubernetes' alphabets.
package func isPodName(_ name: String, of deployment: String) -> Bool {
    guard name.hasPrefix(deployment + "-") else { return false }
    let rest = name.dropFirst(deployment.count + 1).split(separator: "-")
    guard rest.count == 2 else { return false }
    let hashAlphabet = Set("bcdf456789"), suffixAlphabet = Set("bcdfghjklmnpqrstvwxz2456789")
    return (6...10).contains(rest[0].count) && rest[0].allSatisfy(hashAlphabet.contains)
        && rest[1].count == 5 && rest[1].allSatisfy(suffixAlphabet.contains)
}
