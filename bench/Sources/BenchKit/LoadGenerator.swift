import Synchronization
import XDSModel
import XDSTransport
import XDSWire

/// N simulated proxies, each holding one real ADS stream to `target`: by default one TCP
/// connection per stream, like real sidecars, or `streamsPerConnection` streams multiplexed on each.
///
/// Every response is scanned for its version and nonce and ACKed; CDS payloads are decoded once
/// per distinct payload (`ClusterNameCache`), ACK bytes encoded once per distinct ACK. `expect`
/// waits until every proxy has ACKed the expected versions and returns each proxy's convergence
/// time. Streams listed in `silent` receive but never ACK (a stuck proxy); they are left out of
/// convergence.
///
/// Threading: receive loops run as tasks; the shared state is one `Mutex`.
public final class LoadGenerator: Sendable {
    public struct Options: Sendable {
        public var streams: Int
        public var streamsPerConnection: Int
        public var silent: Set<Int>
        public init(streams: Int, streamsPerConnection: Int = 1, silent: Set<Int> = []) {
            self.streams = streams
            self.streamsPerConnection = max(1, streamsPerConnection)
            self.silent = silent
        }
    }

    /// One scenario's outcome, as seen by the proxies.
    public struct Outcome: Sendable {
        /// Seconds from the change to each converged proxy's last needed ACK.
        public var convergence: [Double]
        /// Proxies that did not converge before the time limit (0 when all did).
        public var missing: Int
        public var messages: Int
        public var bytes: Int
    }

    struct State: Sendable {
        var proxies: [SimulatedProxy]
        var expectation: Expectation?
        var convergedAt: [Int64?]
        var convergedCount = 0
        var messages = 0
        var bytes = 0
        var waiter: CheckedContinuation<Void, Never>?
        var ended = 0
    }

    public let options: Options
    public let target: String
    public let names = ClusterNameCache()
    let requests = RequestCache()
    private let state: Mutex<State>
    private let calls: Mutex<[ClientCall]> = Mutex([])
    private let loops: Mutex<[Task<Void, Never>]> = Mutex([])
    private var counted: Int { options.streams - options.silent.count }

    public init(target: String, options: Options) {
        self.target = target
        self.options = options
        state = Mutex(State(
            proxies: Array(repeating: SimulatedProxy(), count: options.streams),
            convergedAt: Array(repeating: nil, count: options.streams)))
    }

    /// Opens every stream and sends each proxy's first CDS request. Returns once all calls are open
    /// (not answered); pair with `expect` to time the connect storm.
    public func connect() throws(TransportError) {
        var opened: [ClientCall] = []
        opened.reserveCapacity(options.streams)
        var channel: ClientChannel?
        for index in 0..<options.streams {
            if index % options.streamsPerConnection == 0 {
                channel = try ClientChannel(target: target, options: .init(ownConnection: true))
            }
            let call = try channel!.makeCall(method: AggregatedDiscoveryService.streamAggregatedResourcesPath)
            opened.append(call)
            let node = Node(id: "sidecar~10.0.\(index >> 8 & 0xff).\(index & 0xff)~proxy-\(index).default~default.svc.cluster.local",
                            cluster: "proxy-\(index).default")
            call.send(requests.payload(for: SimulatedProxy.initialRequest, node: node))
            let loop = Task { [self] in
                for await bytes in call.messages { handle(bytes, on: index, call: call) }
                state.withLock { $0.ended += 1 }
            }
            loops.withLock { $0.append(loop) }
        }
        calls.withLock { $0 += opened }
    }

    func handle(_ bytes: [UInt8], on index: Int, call: ClientCall) {
        guard let scan = ResponseScan(bytes) else { return }
        let now = ProcessReadings.monotonicNanos()
        let silent = options.silent.contains(index)
        let (out, wake) = state.withLock { s -> ([SimulatedProxy.Request], CheckedContinuation<Void, Never>?) in
            s.messages += 1
            s.bytes += bytes.count
            if silent { return ([], nil) }
            let out = s.proxies[index].receive(scan, at: now) { names.names(of: $0, bytes: bytes) }
            return (out, s.check(index, counted: counted))
        }
        for request in out { call.send(requests.payload(for: request, node: nil)) }
        wake?.resume()
    }

    /// Waits until every (non-silent) proxy meets `expectation`, or `limit` passes.
    public func expect(_ expectation: Expectation, limit: Duration = .seconds(300)) async -> Outcome {
        // The time limit: an unfinished scenario is reported as such (`missing`), never hangs.
        let timer = Task { [self] in
            do { try await Task.sleep(for: limit) } catch { return }
            state.withLock { s in
                defer { s.waiter = nil }
                return s.waiter
            }?.resume()
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { s -> Bool in
                s.expectation = expectation
                s.convergedAt = Array(repeating: nil, count: s.proxies.count)
                s.convergedCount = 0
                for index in s.proxies.indices where !options.silent.contains(index) { _ = s.check(index, counted: counted) }
                if s.convergedCount >= counted { return true }
                s.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
        timer.cancel()
        return state.withLock { s in
            let since = expectation.since
            let times = s.convergedAt.compactMap { $0 }.map { Double($0 - since) / 1e9 }
            let outcome = Outcome(convergence: times, missing: counted - times.count, messages: s.messages, bytes: s.bytes)
            s.expectation = nil
            s.messages = 0
            s.bytes = 0
            return outcome
        }
    }

    /// Resets the message and byte counters (a scenario counts what arrives after its change).
    public func resetCounters() { state.withLock { $0.messages = 0; $0.bytes = 0 } }

    /// The proxy at `index`, for tests.
    public func proxy(_ index: Int) -> SimulatedProxy { state.withLock { $0.proxies[index] } }

    /// Half-closes every stream and waits for the receive loops to end.
    public func close() async {
        let all = calls.withLock { $0 }
        for call in all { call.cancel() }
        for loop in loops.withLock({ $0 }) { await loop.value }
        calls.withLock { $0 = [] }
    }
}

extension LoadGenerator.State {
    /// Records proxy `index` as converged if it newly meets the expectation; returns the waiter to
    /// resume when that completes the set.
    mutating func check(_ index: Int, counted: Int) -> CheckedContinuation<Void, Never>? {
        guard let expectation, convergedAt[index] == nil, let at = proxies[index].converged(to: expectation) else { return nil }
        convergedAt[index] = at
        convergedCount += 1
        guard convergedCount >= counted, let waiter else { return nil }
        self.waiter = nil
        return waiter
    }
}
