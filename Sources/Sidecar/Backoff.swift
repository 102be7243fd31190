/// The wait before re-opening a failed ADS stream: Envoy's `JitteredExponentialBackOffStrategy`
/// for xDS (`GrpcStream`: base 500 ms, cap 30 s): the ceiling doubles per attempt up to the cap,
/// and a stream that got as far as a response starts over at attempt 0. Envoy draws the wait in
/// [0, ceiling); this draws it in [ceiling/2, ceiling] so a dead istiod is never retried in a
/// tight loop.
package struct Backoff: Hashable, Sendable {
    package var base: Duration
    package var cap: Duration

    package init(base: Duration = .milliseconds(500), cap: Duration = .seconds(30)) {
        precondition(base > .zero && cap >= base, "backoff needs 0 < base <= cap")
        self.base = base
        self.cap = cap
    }

    /// Envoy's defaults.
    package static let envoy = Backoff()

    /// The ceiling of the wait for `attempt` (0-based), before jitter.
    package func ceiling(attempt: Int) -> Duration {
        var ceiling = base
        for _ in 0..<min(attempt, 62) {
            ceiling *= 2
            if ceiling >= cap { return cap }
        }
        return ceiling
    }

    /// The wait for `attempt`, uniformly jittered in [ceiling/2, ceiling] so a restarted istiod is
    /// not hit by every proxy at the same instant.
    package func delay<R: RandomNumberGenerator>(attempt: Int, using random: inout R) -> Duration {
        let ceiling = self.ceiling(attempt: attempt)
        let half = ceiling / 2
        let spread = Double.random(in: 0...1, using: &random)
        return half + half * spread
    }
}
