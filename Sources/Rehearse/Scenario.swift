import Foundation
import Istio

/// One rehearsal as a scenario file describes it (`docs/rehearse.md`): the world it starts from,
/// the Istio release installed before the first step, the istioctl release on the steps' PATH,
/// and the steps, each a shell command and what must hold after it.
package struct Scenario: Sendable, Hashable {
    /// Where the world comes from.
    package enum WorldSource: Sendable, Hashable {
        /// The embedded default world (bookinfo).
        case bookinfo
        /// Imported from a `kubectl get … -o yaml` dump (the path as written, relative to the file).
        case file(String)
    }

    /// `path` as written in `file`: relative paths are relative to the scenario file's directory.
    package static func resolve(_ path: String, besides file: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    package var name: String
    /// The file it was read from, as given on the command line.
    package var file: String
    package var world: WorldSource
    /// The release installed before the first step; nil: none.
    package var istio: IstioVersion?
    /// The release of `istioctl` on the steps' PATH (a step may override it).
    package var istioctl: IstioVersion
    package var steps: [Step]

    package init(
        name: String, file: String = "", world: WorldSource = .bookinfo, istio: IstioVersion?, istioctl: IstioVersion,
        steps: [Step]
    ) {
        self.name = name
        self.file = file
        self.world = world
        self.istio = istio
        self.istioctl = istioctl
        self.steps = steps
    }

    /// Every istioctl release a step runs.
    package var istioctlReleases: [IstioVersion] {
        var seen: [IstioVersion] = []
        for v in [istioctl] + steps.compactMap(\.istioctl) where !seen.contains(v) { seen.append(v) }
        return seen
    }
}

/// A step: an optional shell command and what must hold after it.
package struct Step: Sendable, Hashable {
    package var name: String
    /// Run with `/bin/sh -c`; nil: the step only checks.
    package var run: String?
    /// The istioctl release on this step's PATH, instead of the scenario's.
    package var istioctl: IstioVersion?
    /// How long the command may run before it is killed (and the step fails).
    package var timeout: Duration
    package var expect: StepExpectation
    /// The line of the step in its file.
    package var line: Int

    package static let defaultTimeout = Duration.seconds(300)

    package init(
        name: String, run: String?, istioctl: IstioVersion? = nil, timeout: Duration = Step.defaultTimeout,
        expect: StepExpectation = StepExpectation(), line: Int = 0
    ) {
        self.name = name
        self.run = run
        self.istioctl = istioctl
        self.timeout = timeout
        self.expect = expect
        self.line = line
    }
}

/// What must hold after a step. Everything given must hold at once; with `within`, the step is
/// retried (its command run again, then checked) until it does or the time is up.
package struct StepExpectation: Sendable, Hashable {
    /// The command's exit status; a step with a command and no `exit` expects 0.
    package var exit: Int32?
    package var stdout: [TextExpectation] = []
    package var stderr: [TextExpectation] = []
    package var proxies: [ProxyExpectation] = []
    package var pods: [PodExpectation] = []
    package var events: [EventExpectation] = []
    package var nacks: [NackExpectation] = []
    package var webhook: [WebhookExpectation] = []
    /// Poll until everything holds, for at most this long; nil: check once.
    package var within: Duration?

    package init(
        exit: Int32? = nil, stdout: [TextExpectation] = [], stderr: [TextExpectation] = [],
        proxies: [ProxyExpectation] = [], pods: [PodExpectation] = [], events: [EventExpectation] = [],
        nacks: [NackExpectation] = [], webhook: [WebhookExpectation] = [], within: Duration? = nil
    ) {
        self.exit = exit
        self.stdout = stdout
        self.stderr = stderr
        self.proxies = proxies
        self.pods = pods
        self.events = events
        self.nacks = nacks
        self.webhook = webhook
        self.within = within
    }

    /// Whether anything about the cluster (not the command's output) is expected.
    package var checksCluster: Bool { !(proxies.isEmpty && pods.isEmpty && events.isEmpty && nacks.isEmpty && webhook.isEmpty) }
}

/// One test of a command's output.
package enum TextExpectation: Sendable, Hashable {
    case contains(String)
    /// A regular expression found anywhere in the output.
    case matches(String)
    /// The whole output, without its trailing newlines.
    case equals(String)
    case lacks(String)
}

/// Which objects an expectation is about: the namespace, a label selector, a name prefix.
package struct Selection: Sendable, Hashable {
    package var namespace: String?
    /// A label selector in kubectl's grammar (`app=reviews,version!=v3`).
    package var selector: String?
    /// A prefix of the pod's name.
    package var name: String?

    package init(namespace: String? = nil, selector: String? = nil, name: String? = nil) {
        self.namespace = namespace
        self.selector = selector
        self.name = name
    }
}

/// The proxies a selection picks, and what each of them must be, and how many there must be.
package struct ProxyExpectation: Sendable, Hashable {
    package enum Status: String, Sendable, Hashable, CaseIterable {
        case synced = "SYNCED"
        case stale = "STALE"
        case notConnected = "NOT CONNECTED"
    }

    package var selection: Selection
    package var revision: String?
    package var version: String?
    package var status: Status?
    package var count: Int?

    package init(
        selection: Selection = Selection(), revision: String? = nil, version: String? = nil, status: Status? = nil,
        count: Int? = nil
    ) {
        self.selection = selection
        self.revision = revision
        self.version = version
        self.status = status
        self.count = count
    }
}

/// The pods a selection picks (not those being deleted): whether each is ready, its phase, how many.
package struct PodExpectation: Sendable, Hashable {
    package var selection: Selection
    package var ready: Bool?
    package var phase: String?
    package var count: Int?

    package init(selection: Selection = Selection(), ready: Bool? = nil, phase: String? = nil, count: Int? = nil) {
        self.selection = selection
        self.ready = ready
        self.phase = phase
        self.count = count
    }
}

/// Events (`kubectl get events`) with a reason, a message and an object; at least one, or exactly `count`.
package struct EventExpectation: Sendable, Hashable {
    package var namespace: String?
    package var reason: String?
    package var message: [TextExpectation]
    /// `kind/name-prefix` of the involved object (`replicaset/details-v1`), kind case-insensitive.
    package var object: String?
    package var count: Int?

    package init(namespace: String? = nil, reason: String? = nil, message: [TextExpectation] = [], object: String? = nil, count: Int? = nil) {
        self.namespace = namespace
        self.reason = reason
        self.message = message
        self.object = object
        self.count = count
    }
}

/// How many proxies connected to a revision's istiod last answered a push with a NACK.
package struct NackExpectation: Sendable, Hashable {
    package var revision: String
    package var count: Int

    package init(revision: String, count: Int) {
        self.revision = revision
        self.count = count
    }
}

/// Which revision would inject a new pod in a namespace now (`none`: no injection).
package struct WebhookExpectation: Sendable, Hashable {
    package var namespace: String
    /// Labels of the would-be pod (`sidecar.istio.io/inject=false`, `istio.io/rev=canary`).
    package var labels: [String: String]
    package var revision: String

    package static let none = "none"

    package init(namespace: String, labels: [String: String] = [:], revision: String) {
        self.namespace = namespace
        self.labels = labels
        self.revision = revision
    }
}
