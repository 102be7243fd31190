import Emulator
import Foundation
import Istio
import Kubernetes
import KubeRuntime
import Synchronization

/// Runs scenarios one at a time, each on a fresh emulated cluster in a temporary state directory,
/// in this process: starts the `Emulator` with the scenario's Istio release, writes a kubeconfig
/// and the istioctl shims, runs each step's command with `/bin/sh -c` (`KUBECONFIG` set, the
/// step's istioctl first on PATH, the real kubectl after), checks its expectations, samples the
/// proxies per revision for the report, and tears the cluster down. The first failed step ends
/// the scenario (later steps are reported skipped).
package struct RehearsalRunner: Sendable {
    package struct Configuration: Sendable {
        /// The xdsemu binary the istioctl shims (and a kept world's daemon) run.
        package var xdsemu: String
        /// The world's step (Pending → ContainerCreating → Running …): short, so rehearsals are quick.
        package var stepMilliseconds: Int64
        /// Leave a failed scenario's world running (as an `xdsemu up` daemon on its state directory).
        package var keep: Bool
        /// How often the proxies per revision are sampled for the timeline, and `within` re-checks.
        package var pollInterval: Duration
        /// How many lines of a failed command's output are shown.
        package var tailLines: Int

        package init(xdsemu: String, stepMilliseconds: Int64 = 50, keep: Bool = false, pollInterval: Duration = .milliseconds(100), tailLines: Int = 10) {
            self.xdsemu = xdsemu
            self.stepMilliseconds = stepMilliseconds
            self.keep = keep
            self.pollInterval = pollInterval
            self.tailLines = tailLines
        }
    }

    package var configuration: Configuration
    /// Where progress lines go (one per step, and the details of a failure).
    package var say: @Sendable (String) -> Void

    package init(configuration: Configuration, say: @escaping @Sendable (String) -> Void) {
        self.configuration = configuration
        self.say = say
    }

    package func run(_ scenario: Scenario) async -> ScenarioResult {
        say("▶ \(scenario.name) (\(scenario.file))")
        let began = ContinuousClock.now
        let directory: String
        let emulator: Emulator
        do {
            directory = try Self.makeTemporaryDirectory()
            var options = Emulator.Options(
                stateDirectory: directory + "/state",
                worldConfig: WorldConfig(stepMilliseconds: configuration.stepMilliseconds),
                tickInterval: .milliseconds(max(2, min(100, configuration.stepMilliseconds / 4))),
                istio: scenario.istio)
            if case .file(let dump) = scenario.world {
                // As `xdsemu up --from`: the dump's istiods decide the releases; `istio:` is not installed on top.
                let now = Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
                let mesh = try MeshImport.load(path: Scenario.resolve(dump, besides: scenario.file), config: options.worldConfig, now: now)
                for skipped in mesh.skipped { say("  not imported: \(skipped)") }
                options.initialWorld = mesh.world
            }
            emulator = try await Emulator.start(options)
        } catch {
            say("✘ \(scenario.name): the emulated cluster did not start: \(error)")
            return ScenarioResult(
                name: scenario.name, file: scenario.file, passed: false, seconds: began.secondsSince, steps: [],
                error: "the emulated cluster did not start: \(error)")
        }
        let timeline = Timeline(began: began)
        var steps: [StepResult] = []
        var leftovers: [StepProcess.Started] = []
        var setupError: String?
        do {
            let shims = try writeShims(scenario, in: directory)
            try FileManager.default.createDirectory(atPath: directory + "/work", withIntermediateDirectories: true)
            await Self.settle(emulator)
            timeline.record(Self.facts(emulator))
            let sampler = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: configuration.pollInterval)
                    timeline.record(Self.facts(emulator))
                }
            }
            for (index, step) in scenario.steps.enumerated() {
                if steps.contains(where: { $0.status == .failed }) {
                    steps.append(StepResult(name: step.name, command: step.run, line: step.line, status: .skipped))
                    continue
                }
                let context = StepContext(
                    index: index, directory: directory, scenarioDirectory: Self.directory(of: scenario.file),
                    istioctlBin: shims[step.istioctl ?? scenario.istioctl] ?? "", kubeconfig: emulator.kubeconfigPath)
                let result = await run(step, context, emulator: emulator, timeline: timeline) { leftovers.append($0) }
                steps.append(result)
                report(result)
            }
            sampler.cancel()
            _ = await sampler.value
            timeline.record(Self.facts(emulator))
        } catch {
            setupError = "cannot prepare the rehearsal: \(error)"
            say("✘ \(setupError!)")
        }
        for group in leftovers { StepProcess.killGroup(group) }
        let passed = setupError == nil && steps.allSatisfy { $0.status == .passed }
        var kept: String?
        await emulator.stop()
        if !passed, configuration.keep {
            kept = await KeptWorld.start(directory: directory, xdsemu: configuration.xdsemu, say: say)
        }
        if kept == nil { try? FileManager.default.removeItem(atPath: directory) }
        let seconds = began.secondsSince
        say(passed ? "✔ \(scenario.name): passed in \(Self.format(seconds))" : "✘ \(scenario.name): failed after \(Self.format(seconds))")
        return ScenarioResult(
            name: scenario.name, file: scenario.file, passed: passed, seconds: seconds, steps: steps, error: setupError,
            keptKubeconfig: kept, timeline: timeline.samples)
    }

    struct StepContext {
        var index: Int
        var directory: String
        var scenarioDirectory: String
        var istioctlBin: String
        var kubeconfig: String
    }

    /// Runs a step's command (again, with `within`) and checks until its expectation holds or the time is up.
    func run(
        _ step: Step, _ context: StepContext, emulator: Emulator, timeline: Timeline, started: (StepProcess.Started) -> Void
    ) async -> StepResult {
        let start = ContinuousClock.now
        let deadline = start + (step.expect.within ?? .zero)
        var attempts = 0
        var failures: [String] = []
        var outcome: CommandOutcome?
        while true {
            attempts += 1
            if let command = step.run {
                let process = StepProcess(
                    command: command, environment: environment(context), workingDirectory: context.directory + "/work",
                    outputPrefix: "\(context.directory)/step-\(context.index + 1)")
                do {
                    outcome = try await process.run(timeout: step.timeout, started: started)
                } catch {
                    failures = ["\(error)"]
                    break
                }
            }
            failures = ExpectationCheck.failures(
                step.expect, outcome: outcome, facts: step.expect.checksCluster ? Self.facts(emulator) : nil)
            // A command killed at its timeout is not retried: it would hang again.
            if failures.isEmpty || ContinuousClock.now >= deadline || outcome?.timedOut == true { break }
            try? await Task.sleep(for: configuration.pollInterval)
        }
        if let within = step.expect.within, !failures.isEmpty, outcome?.timedOut != true {
            failures.append("still not so after \(Self.format(within))")
        }
        var tail: [String] = []
        if !failures.isEmpty, let outcome {
            let lines = (outcome.stdout + (outcome.stderr.isEmpty ? "" : "\n" + outcome.stderr)).split(separator: "\n", omittingEmptySubsequences: false)
            tail = lines.reversed().drop { $0.isEmpty }.prefix(configuration.tailLines).reversed().map(String.init)
        }
        return StepResult(
            name: step.name, command: step.run, line: step.line, status: failures.isEmpty ? .passed : .failed,
            start: (start - timeline.began).seconds, seconds: start.secondsSince, attempts: attempts, failures: failures,
            exit: outcome?.exit, timedOut: outcome?.timedOut ?? false, outputTail: tail)
    }

    func report(_ r: StepResult) {
        let mark = r.status == .passed ? "✔" : "✘"
        say("  \(mark) \(r.name) (\(Self.format(r.seconds)))")
        guard r.status == .failed else { return }
        if let command = r.command { say("      $ \(command)") }
        for f in r.failures { say("      \(f)") }
        if !r.outputTail.isEmpty {
            say("      last lines of output:")
            for line in r.outputTail { say("      | \(line)") }
        }
    }

    func environment(_ context: StepContext) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["KUBECONFIG"] = context.kubeconfig
        env["PATH"] = context.istioctlBin + ":" + (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        env["SCENARIO_DIR"] = context.scenarioDirectory
        env.removeValue(forKey: "XDSEMU_ISTIO_VERSION")
        return env
    }

    /// One `istioctl` per release the scenario uses, each in its own `bin` directory.
    func writeShims(_ scenario: Scenario, in directory: String) throws -> [IstioVersion: String] {
        var bins: [IstioVersion: String] = [:]
        for version in scenario.istioctlReleases {
            let dir = "\(directory)/istioctl-\(version)"
            try IstioctlShim.write(in: dir, version: version, xdsemu: configuration.xdsemu)
            bins[version] = dir + "/bin"
        }
        return bins
    }

    /// Until the new world's proxies are connected and have acknowledged their first push
    /// (bounded): a first step that asks `istioctl version` or checks SYNCED sees the settled
    /// mesh a user would find on a running cluster.
    static func settle(_ emulator: Emulator) async {
        let expected = emulator.cluster.world.proxies().count { $0.pod.phase == "Running" && !$0.pod.isTerminating }
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if facts(emulator).proxies.count(where: { $0.status == .synced }) >= expected { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    static func facts(_ emulator: Emulator) -> ClusterFacts {
        let lists = emulator.endpointLists()
        return ClusterFacts(world: emulator.cluster.world, proxies: lists.proxies, syncz: lists.syncz, istiods: lists.istiods)
    }

    static func directory(of file: String) -> String {
        URL(fileURLWithPath: file).deletingLastPathComponent().standardizedFileURL.path
    }

    static func makeTemporaryDirectory() throws -> String {
        var template = Array((NSTemporaryDirectory() + "/xdsemu-rehearse-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw StepProcessError(message: "cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        return URL(fileURLWithPath: String(cString: made)).standardizedFileURL.path
    }

    /// `350ms`, `2.1s`, `1m05s`.
    package static func format(_ seconds: Double) -> String {
        if seconds < 1 { return "\(Int((seconds * 1000).rounded()))ms" }
        if seconds < 60 { return String(format: "%.1fs", seconds) }
        return String(format: "%dm%02ds", Int(seconds) / 60, Int(seconds) % 60)
    }

    static func format(_ d: Duration) -> String { format(d.seconds) }
}

/// The samples of one run, recorded by the sampler task and at each step's end.
final class Timeline: Sendable {
    let began: ContinuousClock.Instant
    private let state = Mutex<[TimelineSample]>([])

    init(began: ContinuousClock.Instant) {
        self.began = began
    }

    func record(_ facts: ClusterFacts) {
        let perRevision = facts.perRevision
        let sample = TimelineSample(
            at: began.secondsSince, connected: perRevision.mapValues(\.connected), nacked: perRevision.mapValues(\.nacked))
        state.withLock { $0.append(sample) }
    }

    var samples: [TimelineSample] { state.withLock { $0 } }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}

extension ContinuousClock.Instant {
    var secondsSince: Double { (ContinuousClock.now - self).seconds }
}
