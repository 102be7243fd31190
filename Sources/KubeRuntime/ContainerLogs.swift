import Kubernetes
import Synchronization

/// One line a container wrote, with the time the runtime received it (what `--timestamps` shows).
package struct LogLine: Sendable, Equatable {
    package var time: Timestamp
    package var text: String

    package init(time: Timestamp, text: String) {
        self.time = time
        self.text = text
    }
}

/// What the emulated containers have logged, kept in memory by the daemon as the kubelet keeps
/// each container's log file: the last `capacity` lines per container (a ring buffer; older
/// lines are dropped, as the kubelet rotates files). Nothing is persisted: after a daemon restart
/// every log starts empty, as a restarted container's would.
///
/// Followers (`kubectl logs -f`) get every line appended after they joined, in order, until they
/// leave or `end(pod:)` says the pod's containers stopped.
///
/// Thread-safe; no method blocks or suspends.
package final class ContainerLogs: Sendable {
    /// Lines kept per container.
    package static let capacity = 1_000

    package struct Container: Hashable, Sendable {
        package var namespace: String
        package var pod: String
        package var name: String

        package init(namespace: String, pod: String, name: String) {
            self.namespace = namespace
            self.pod = pod
            self.name = name
        }
    }

    struct Ring {
        var lines: [LogLine] = []
        /// Where the oldest line is once the buffer is full.
        var start = 0

        mutating func append(_ line: LogLine, capacity: Int) {
            if lines.count < capacity {
                lines.append(line)
            } else {
                lines[start] = line
                start = (start + 1) % capacity
            }
        }

        var ordered: [LogLine] { Array(lines[start...] + lines[..<start]) }
    }

    struct State {
        var rings: [Container: Ring] = [:]
        var followers: [Container: [UInt64: AsyncStream<LogLine>.Continuation]] = [:]
        var nextFollower: UInt64 = 0
    }

    private let state = Mutex(State())
    private let capacity: Int
    private let readHook = Mutex<(@Sendable () -> Void)?>(nil)

    package init(capacity: Int = ContainerLogs.capacity) { self.capacity = capacity }

    /// `hook` runs before every read (`lines`, `follow`): whoever writes the lines by watching
    /// something else brings them up to date, so a read never misses what already happened.
    package func beforeRead(_ hook: @escaping @Sendable () -> Void) { readHook.withLock { $0 = hook } }

    private func catchUp() { readHook.withLock { $0 }?() }

    /// Appends one line (a newline inside `text` is kept inside the line).
    package func append(_ container: Container, _ text: String, at time: Timestamp) {
        let line = LogLine(time: time, text: text)
        let followers = state.withLock { s in
            s.rings[container, default: Ring()].append(line, capacity: capacity)
            return Array((s.followers[container] ?? [:]).values)
        }
        for f in followers { f.yield(line) }
    }

    /// The container's lines, oldest first.
    package func lines(_ container: Container) -> [LogLine] {
        catchUp()
        return state.withLock { $0.rings[container]?.ordered ?? [] }
    }

    /// The lines so far and, atomically with them, every later one until the follower leaves
    /// (the stream's consumer stops) or the pod ends.
    package func follow(_ container: Container) -> (past: [LogLine], next: AsyncStream<LogLine>) {
        catchUp()
        let (stream, continuation) = AsyncStream<LogLine>.makeStream(bufferingPolicy: .bufferingNewest(capacity))
        let past = state.withLock { s in
            let id = s.nextFollower
            s.nextFollower += 1
            s.followers[container, default: [:]][id] = continuation
            continuation.onTermination = { [weak self] _ in
                self?.state.withLock { _ = $0.followers[container]?.removeValue(forKey: id) }
            }
            return s.rings[container]?.ordered ?? []
        }
        return (past, stream)
    }

    /// The pod's containers stopped: followers' streams end; the lines stay readable until
    /// `forget(pod:)`.
    package func end(namespace: String, pod: String) {
        let ended = state.withLock { s in
            let keys = s.followers.keys.filter { $0.namespace == namespace && $0.pod == pod }
            return keys.flatMap { s.followers.removeValue(forKey: $0)?.values.map { $0 } ?? [] }
        }
        for f in ended { f.finish() }
    }

    /// The pod is gone: its lines go too (and any follower ends).
    package func forget(namespace: String, pod: String) {
        end(namespace: namespace, pod: pod)
        state.withLock { s in
            for key in s.rings.keys where key.namespace == namespace && key.pod == pod { s.rings[key] = nil }
        }
    }

    /// The pods that have lines or followers, as `namespace/pod`, for the recorder to end and
    /// drop those that went away.
    package func pods() -> Set<String> {
        state.withLock { s in Set((Array(s.rings.keys) + Array(s.followers.keys)).map { "\($0.namespace)/\($0.pod)" }) }
    }

    /// How many followers are open (each `kubectl logs -f` holds one).
    package var followerCount: Int { state.withLock { $0.followers.values.reduce(0) { $0 + $1.count } } }
}
