/// Polls `condition` until it holds, for at most `timeout`; the one wait tests use for state they
/// cannot be told about (a server's view of a stream, a world on its own clock, a child's output).
/// Bounded, so a broken peer fails the test instead of hanging it: past the deadline it throws
/// `ConditionTimedOut`, naming the wait's place and `comment` (evaluated then, so it can show the
/// state that was never reached). Errors thrown by `condition` end the wait at once.
///
/// The default deadline is generous on purpose: tests run in parallel on as many cooperative
/// threads as cores (two here), and CPU-bound synchronous tests can hold both for several seconds,
/// during which no poll runs. A deadline says "broken", never "slow". Measured: with ~440 tests, a
/// few dozen of which start an emulated cluster at once (each building its world synchronously),
/// and other work on the machine, both threads were held for ~40 s; hence 120 s.
package func eventually(
    _ comment: @autoclosure () -> String = "", timeout: Duration = .seconds(120),
    pollingEvery interval: Duration = .milliseconds(10), fileID: String = #fileID, line: Int = #line,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while try await !condition() {
        guard ContinuousClock.now < deadline else {
            // One last look: the condition may have come true while the deadline passed.
            if try await condition() { return }
            throw ConditionTimedOut(waited: timeout, place: "\(fileID):\(line)", comment: comment())
        }
        try await Task.sleep(for: interval)
    }
}

package struct ConditionTimedOut: Error, CustomStringConvertible {
    package let waited: Duration
    package let place: String
    package let comment: String
    package var description: String {
        "the condition at \(place) did not hold within \(waited)" + (comment.isEmpty ? "" : ": \(comment)")
    }
}
