/// The ReplicaSet controller's work queue rate limiter, on the world's clock: after a failed sync
/// a ReplicaSet waits `5 ms × 2^failures` before the next try (client-go's
/// `ItemExponentialFailureRateLimiter`, `util/workqueue/default_rate_limiters.go`, base 5 ms),
/// and a successful sync forgets its failures (`queue.Forget`).
///
/// The real cap is 1000 s; the emulator caps at 2 s, so a pod a dead webhook refused appears
/// within about two seconds (plus its own start-up steps) of that webhook's service being ready
/// again — what a user who just scaled istiod back up expects to see — while a long outage
/// costs one retry (one `FailedCreate` count) every two seconds.
struct ControllerQueue: Hashable, Sendable, Codable {
    static let baseDelayMilliseconds: Int64 = 5
    static let maxDelayMilliseconds: Int64 = 2000

    /// Consecutive failed syncs per ReplicaSet.
    var failures: [ObjectKey: Int] = [:]
    /// A ReplicaSet waiting for its next sync (backoff, or the rest of a capped burst) does not
    /// create pods before this time.
    var notBefore: [ObjectKey: Timestamp] = [:]

    func isWaiting(_ key: ObjectKey, at now: Timestamp) -> Bool { notBefore[key].map { $0 > now } ?? false }

    /// Records a failed sync; returns how long to wait before the next.
    mutating func failed(_ key: ObjectKey, at now: Timestamp) -> Int64 {
        let n = failures[key] ?? 0
        failures[key] = n + 1
        let delay = n >= 20 ? Self.maxDelayMilliseconds : min(Self.maxDelayMilliseconds, Self.baseDelayMilliseconds << n)
        notBefore[key] = now + delay
        return delay
    }

    /// A sync that must continue later without counting as a failure (a capped burst).
    mutating func requeue(_ key: ObjectKey, at due: Timestamp) { notBefore[key] = due }

    /// The queued sync is due: the ReplicaSet may create again.
    mutating func due(_ key: ObjectKey) { notBefore[key] = nil }

    mutating func forget(_ key: ObjectKey) {
        failures[key] = nil
        notBefore[key] = nil
    }
}

extension World {
    /// Pods one ReplicaSet sync creates at most. kube-controller-manager's `BurstReplicas` is 500
    /// (`pkg/controller/replicaset/replica_set.go@v1.32.0`); the emulator's bound is tighter
    /// because every create runs admission and the controllers inside the world's single write
    /// queue: a 500-pod sync held every API write for about two seconds (release build, 500 →
    /// 1,000 replicas). The rest follow in syncs a millisecond apart, each its own piece of due
    /// work, so kubectl's writes go in between.
    package static let podCreatesPerSync = 100

    /// ReplicaSets with failures or a sync waiting in the queue.
    package var queuedReplicaSets: Set<ObjectKey> {
        Set(meta.replicaSetQueue.map { Array($0.failures.keys) + Array($0.notBefore.keys) } ?? [])
    }

    var replicaSetQueue: ControllerQueue {
        get { meta.replicaSetQueue ?? ControllerQueue() }
        set { meta.replicaSetQueue = newValue.failures.isEmpty && newValue.notBefore.isEmpty ? nil : newValue }
    }

    /// `manageReplicas` creating `missing` pods: at most `podCreatesPerSync` per sync, in
    /// slow-start batches of 1, 2, 4, … that stop at the first batch with a failure
    /// (`slowStartBatch`); each refusal is a `FailedCreate` event on the ReplicaSet with the API
    /// server's message, and the ReplicaSet's next sync waits out the rate limiter. The rest of a
    /// capped burst gets its own sync a millisecond later.
    mutating func createPods(for rs: KubeObject, missing: Int, ctx: inout Context) {
        let key = rs.key
        guard missing > 0, !replicaSetQueue.isWaiting(key, at: meta.now) else { return }
        let wanted = min(missing, Self.podCreatesPerSync)
        var created = 0
        var batch = 1
        var failed = false
        while created < wanted, !failed {
            let size = min(batch, wanted - created)
            for _ in 0..<size {
                do throws(WorldError) {
                    let pod = try createPod(for: rs, ctx: &ctx)
                    record("Normal", "SuccessfulCreate", "Created pod: \(pod.name)", about: rs, by: .replicaSetController, ctx: &ctx)
                    created += 1
                } catch {
                    failed = true
                    // A terminating namespace refuses every create; the controller stays quiet.
                    if !(objects[ObjectKey(.namespaces, name: rs.namespace)]?.isTerminating ?? true) {
                        record("Warning", "FailedCreate", "Error creating: \(error.message)", about: rs, by: .replicaSetController, ctx: &ctx)
                    }
                }
            }
            if failed { break }
            batch *= 2
        }
        var queue = replicaSetQueue
        if failed {
            let delay = queue.failed(key, at: meta.now)
            replicaSetQueue = queue
            schedule(rs, .syncReplicaSet, afterMilliseconds: delay)
        } else if missing > wanted {
            queue.requeue(key, at: meta.now + 1)
            replicaSetQueue = queue
            schedule(rs, .syncReplicaSet, afterMilliseconds: 1)
        } else if queue.failures[key] != nil || queue.notBefore[key] != nil {
            queue.forget(key)
            replicaSetQueue = queue
        }
    }

    mutating func schedule(_ object: KubeObject, _ action: Transition.Action, afterMilliseconds delay: Int64) {
        meta.transitionSequence += 1
        let t = Transition(
            due: meta.now + delay, sequence: meta.transitionSequence, key: object.key, uid: object.metadata.uid, action: action)
        // Binary search: a large scale-up keeps tens of thousands of steps scheduled.
        var low = meta.transitions.startIndex
        var high = meta.transitions.endIndex
        while low < high {
            let mid = (low + high) / 2
            if (meta.transitions[mid].due, meta.transitions[mid].sequence) > (t.due, t.sequence) { high = mid } else { low = mid + 1 }
        }
        meta.transitions.insert(t, at: low)
    }
}
