import Kubernetes
import Synchronization

extension LiveWorld {
    /// Runs `pass` now and again after every change to the world (changes that arrive during a
    /// pass are coalesced into one more pass) and, when `resync` is given, at that interval as
    /// well (for what the world's events do not announce). Returns when the task is cancelled or
    /// the world closes.
    package func reconcileLoop(resync: Duration? = nil, _ pass: @escaping @Sendable () async -> Void) async {
        await reconcileLoop(resync: resync) { (_: [WorldEvent]?) in await pass() }
    }

    /// The same loop, handing each pass the events since the previous pass began, so it can look
    /// at what changed only. nil means "look at everything": the first pass, and any pass after
    /// the world's event stream could not be followed.
    package func reconcileLoop(resync: Duration? = nil, changes pass: @escaping @Sendable ([WorldEvent]?) async -> Void) async {
        let (ticks, tick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        // Filled before each tick is raised, so the pass a tick starts sees the event behind it.
        let pending = Mutex<[WorldEvent]?>(nil)
        tick.yield()
        let stream = try? events()
        let forward = Task {
            if let stream {
                for await event in stream {
                    pending.withLock { $0?.append(event) }
                    tick.yield()
                }
            }
            tick.finish()
        }
        let timer = Task {
            guard let resync else { return }
            while !Task.isCancelled {
                do { try await Task.sleep(for: resync) } catch { break }
                tick.yield()
            }
        }
        for await _ in ticks {
            if Task.isCancelled { break }
            // Taken before the pass reads the world: whatever it misses arrives as a later event
            // and raises another tick.
            let changes = pending.withLock { p -> [WorldEvent]? in
                defer { p = stream == nil ? nil : [] }
                return p
            }
            await pass(changes)
        }
        forward.cancel()
        timer.cancel()
    }
}
