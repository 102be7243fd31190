/// What one scenario's rehearsal came to: its steps, in order, and the proxies per revision
/// sampled over the run. Encoded as is by `--json`; the JUnit and HTML reports are built from it.
package struct ScenarioResult: Codable, Sendable, Hashable {
    package var name: String
    package var file: String
    package var passed: Bool
    package var seconds: Double
    package var steps: [StepResult]
    /// Why the scenario could not run at all (the emulator did not start); nil when it ran.
    package var error: String?
    /// The kubeconfig of the world left running (`--keep`), when one was.
    package var keptKubeconfig: String?
    package var timeline: [TimelineSample]

    package init(
        name: String, file: String, passed: Bool, seconds: Double, steps: [StepResult], error: String? = nil,
        keptKubeconfig: String? = nil, timeline: [TimelineSample] = []
    ) {
        self.name = name
        self.file = file
        self.passed = passed
        self.seconds = seconds
        self.steps = steps
        self.error = error
        self.keptKubeconfig = keptKubeconfig
        self.timeline = timeline
    }

    /// The first step that failed.
    package var failedStep: StepResult? { steps.first { $0.status == .failed } }

    /// Every revision the timeline saw, sorted.
    package var revisions: [String] {
        Set(timeline.flatMap { $0.connected.keys }).sorted()
    }
}

package struct StepResult: Codable, Sendable, Hashable {
    package enum Status: String, Codable, Sendable {
        case passed, failed
        /// Not run: an earlier step failed.
        case skipped
    }

    package var name: String
    package var command: String?
    /// The step's line in its file.
    package var line: Int
    package var status: Status
    /// Seconds from the scenario's start to the step's.
    package var start: Double
    package var seconds: Double
    /// How many times the command ran and the expectation was checked (more than one with `within`).
    package var attempts: Int
    /// What was expected and what came, one line each; empty when it passed.
    package var failures: [String]
    package var exit: Int32?
    package var timedOut: Bool
    /// The last lines of the command's output (stdout, then stderr), on failure.
    package var outputTail: [String]

    package init(
        name: String, command: String?, line: Int, status: Status, start: Double = 0, seconds: Double = 0, attempts: Int = 0,
        failures: [String] = [], exit: Int32? = nil, timedOut: Bool = false, outputTail: [String] = []
    ) {
        self.name = name
        self.command = command
        self.line = line
        self.status = status
        self.start = start
        self.seconds = seconds
        self.attempts = attempts
        self.failures = failures
        self.exit = exit
        self.timedOut = timedOut
        self.outputTail = outputTail
    }
}

/// Connected proxies and those whose last answer was a NACK, per revision, at one moment.
package struct TimelineSample: Codable, Sendable, Hashable {
    /// Seconds since the scenario's start.
    package var at: Double
    package var connected: [String: Int]
    package var nacked: [String: Int]

    package init(at: Double, connected: [String: Int], nacked: [String: Int] = [:]) {
        self.at = at
        self.connected = connected
        self.nacked = nacked
    }
}
