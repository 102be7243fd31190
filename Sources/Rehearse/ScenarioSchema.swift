/// The keys each mapping of a scenario file may hold, by the name of its definition in
/// `scenarios/scenario.schema.json` (`scenario` is the document itself). The parser refuses any
/// other key with this list; a test checks that the JSON Schema names exactly these.
package enum ScenarioSchema {
    package static let keys: [String: [String]] = [
        "scenario": ["name", "world", "istio", "istioctl", "steps"],
        "world": ["from"],
        "step": ["name", "run", "istioctl", "timeout", "expect"],
        "expect": ["exit", "stdout", "stderr", "proxies", "pods", "events", "nacks", "webhook", "within"],
        "text": ["contains", "matches", "equals", "lacks"],
        "proxies": ["namespace", "selector", "name", "revision", "version", "status", "count"],
        "pods": ["namespace", "selector", "name", "ready", "phase", "count"],
        "events": ["namespace", "reason", "message", "object", "count"],
        "nacks": ["revision", "count"],
        "webhook": ["namespace", "labels", "revision"],
    ]

    /// What a mapping is called in error messages.
    static let nouns: [String: String] = [
        "scenario": "a scenario", "world": "world", "step": "a step", "expect": "expect",
        "text": "an output expectation", "proxies": "proxies", "pods": "pods", "events": "events",
        "nacks": "nacks", "webhook": "webhook",
    ]

    /// The only embedded world.
    package static let bookinfo = "bookinfo"
}
