/// How long a send may stay outstanding before its stream counts as stalled, and how long a
/// stalled stream is kept.
///
/// A peer that never reads (or never grants HTTP/2 flow-control window) leaves its send
/// outstanding forever. Past `releaseSlotAfter` the send stops counting against the global
/// `maxSendsInFlight`, so stalled peers can never take the slots healthy streams need; the stream
/// keeps its one send and gets nothing more until it completes. Past `endStreamAfter` the stream
/// is ended with DEADLINE_EXCEEDED, as istiod ends a stream whose send timed out.
///
/// Sends are checked every `releaseSlotAfter / 2`, so a send is found stalled between
/// `releaseSlotAfter` and 1.5 × `releaseSlotAfter` after it started.
public struct StallPolicy: Sendable, Equatable {
    package var releaseSlotAfter: Duration
    package var endStreamAfter: Duration

    public init(releaseSlotAfter: Duration = .seconds(10), endStreamAfter: Duration = .seconds(60)) {
        precondition(releaseSlotAfter > .zero && endStreamAfter > .zero, "stall limits must be positive")
        self.releaseSlotAfter = releaseSlotAfter
        self.endStreamAfter = endStreamAfter
    }

    /// How often the server looks for stalled sends.
    package var checkInterval: Duration { releaseSlotAfter / 2 }
}
