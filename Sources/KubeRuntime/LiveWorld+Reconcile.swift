/// The controller loop every fleet that mirrors the world runs (istiods per revision, proxies per
/// pod): a pass at start, a pass after changes, passes never overlapping.
extension LiveWorld {
    /// Runs `pass` now and again after every change to the world (changes that arrive during a
    /// pass are coalesced into one more pass) and, when `resync` is given, at that interval as
    /// well (for what the world's events do not announce). Returns when the task is cancelled or
    /// the world closes.
    package func reconcileLoop(resync: Duration? = nil, _ pass: @escaping @Sendable () async -> Void) async {
        let (ticks, tick) = AsyncStream<Void>.makeStream(bufferingPolicy: .bufferingNewest(1))
        tick.yield()
        let forward = Task { [self] in
            if let events = try? events() {
                for await _ in events { tick.yield() }
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
            await pass()
        }
        forward.cancel()
        timer.cancel()
    }
}
