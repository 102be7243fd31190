import JSON
/// The kubelet's part: a pod's life as `kubectl get pods -w` shows it. Each stage writes the
/// status fields the real kubelet would (phase, conditions, container states), so the server-side
/// printer derives STATUS and READY the same way it does on a real cluster:
/// Pending → Pending (bound) → ContainerCreating (or Init:0/N → PodInitializing) → Running 0/N…
/// → Running N/N; on delete, Terminating N/N → Terminating 0/N → gone.
enum PodStage: String, Hashable, Sendable, Codable {
    case scheduled, creating, initialized, started, ready, stopped
}

extension World {
    mutating func advancePod(_ pod: KubeObject, to stage: PodStage, ctx: inout Context) {
        if pod.isTerminating, stage != .stopped { return }
        var p = pod
        let hasInit = !(pod.spec["initContainers"]?.arrayValue ?? []).isEmpty
        switch stage {
        case .scheduled:
            p.spec["nodeName"] = .string(config.nodeName)
        case .started:
            if p.status["podIP"] == nil {
                let ip = allocatePodIP()
                p.status["podIP"] = .string(ip)
                p.status["podIPs"] = [["ip": .string(ip)]]
            }
        default:
            break
        }
        p.status = podStatus(p, stage: stage)
        put(p, .modified, ctx: &ctx)
        recordPodStage(p, stage, ctx: &ctx)
        switch stage {
        case .scheduled: schedule(p, .podStage(.creating), afterSteps: 1)
        case .creating: schedule(p, .podStage(hasInit ? .initialized : .started), afterSteps: 1)
        case .initialized: schedule(p, .podStage(.started), afterSteps: 1)
        case .started: schedule(p, .podStage(.ready), afterSteps: 1)
        case .ready, .stopped: break
        }
    }

    func podStatus(_ pod: KubeObject, stage: PodStage) -> JSONValue {
        var s = pod.status.objectValue ?? [:]
        let now = JSONValue.string(meta.now.rfc3339)
        let containers = pod.spec["containers"]?.arrayValue ?? []
        let inits = pod.spec["initContainers"]?.arrayValue ?? []
        func condition(_ type: String, _ ok: Bool, reason: String? = nil) -> JSONValue {
            var c: JSONObject = [
                "type": .string(type), "status": .string(ok ? "True" : "False"), "lastProbeTime": .null,
                "lastTransitionTime": now,
            ]
            if let reason, !ok { c["reason"] = .string(reason) }
            // Keep the transition time of a condition whose status did not change.
            if let old = (s["conditions"]?.arrayValue ?? []).first(where: { $0["type"]?.stringValue == type }),
                old["status"] == c["status"]
            {
                c["lastTransitionTime"] = old["lastTransitionTime"] ?? now
            }
            return .object(c)
        }
        func containerStatus(_ c: JSONValue, state: JSONValue, ready: Bool, started: Bool) -> JSONValue {
            [
                "name": c["name"] ?? "", "image": c["image"] ?? "", "imageID": "", "ready": .bool(ready),
                "restartCount": 0, "started": .bool(started), "state": state,
                "lastState": .object([:]),
            ]
        }
        let waiting: (String) -> JSONValue = { ["waiting": ["reason": .string($0)]] }
        let running: JSONValue = ["running": ["startedAt": s["startTime"] ?? now]]
        let completed: JSONValue = [
            "terminated": ["exitCode": 0, "reason": "Completed", "startedAt": s["startTime"] ?? now, "finishedAt": now]
        ]
        let initialized = inits.isEmpty || stage != .creating
        switch stage {
        case .scheduled:
            s["phase"] = "Pending"
            s["conditions"] = [condition("PodScheduled", true)]
        case .creating, .initialized:
            s["phase"] = "Pending"
            s["hostIP"] = .string(config.podCIDR.address(at: 1))
            s["hostIPs"] = [["ip": .string(config.podCIDR.address(at: 1))]]
            if s["startTime"] == nil { s["startTime"] = now }
            s["conditions"] = [
                condition("Initialized", initialized, reason: "ContainersNotInitialized"),
                condition("Ready", false, reason: "ContainersNotReady"),
                condition("ContainersReady", false, reason: "ContainersNotReady"),
                condition("PodScheduled", true),
            ]
            if !inits.isEmpty {
                s["initContainerStatuses"] = .array(
                    inits.map {
                        containerStatus($0, state: initialized ? completed : waiting("PodInitializing"), ready: initialized, started: false)
                    })
            }
            let reason = inits.isEmpty ? "ContainerCreating" : "PodInitializing"
            s["containerStatuses"] = .array(containers.map { containerStatus($0, state: waiting(reason), ready: false, started: false) })
        case .started, .ready:
            let allReady = stage == .ready
            s["phase"] = "Running"
            s["conditions"] = [
                condition("Initialized", true),
                condition("Ready", allReady, reason: "ContainersNotReady"),
                condition("ContainersReady", allReady, reason: "ContainersNotReady"),
                condition("PodScheduled", true),
            ]
            // The last container becomes ready last, so a two-container pod reads 1/2 before 2/2.
            s["containerStatuses"] = .array(
                containers.enumerated().map { i, c in
                    containerStatus(c, state: running, ready: allReady || i < containers.count - 1, started: true)
                })
        case .stopped:
            s["conditions"] = [
                condition("Initialized", true),
                condition("Ready", false, reason: "ContainersNotReady"),
                condition("ContainersReady", false, reason: "ContainersNotReady"),
                condition("PodScheduled", true),
            ]
            s["containerStatuses"] = .array(containers.map { containerStatus($0, state: completed, ready: false, started: false) })
        }
        return .object(s)
    }

    /// Pod IPs are handed out in order from the pod range, skipping the network and gateway
    /// addresses and any still in use, much as a node's IPAM does.
    mutating func allocatePodIP() -> String {
        let used = index.podIPs
        let range = config.podCIDR
        for _ in 0..<range.size {
            let offset = meta.nextPodIPOffset
            meta.nextPodIPOffset = offset + 1 >= range.size - 1 ? 2 : offset + 1
            let ip = range.address(at: offset)
            if used[ip] == nil { return ip }
        }
        return range.address(at: 2)
    }

    /// Whether a pod counts as ready (its `Ready` condition is true) and is not terminating.
    package static func isReady(_ pod: KubeObject) -> Bool {
        !pod.isTerminating
            && (pod.status["conditions"]?.arrayValue ?? []).contains {
                $0["type"] == "Ready" && $0["status"] == "True"
            }
    }
}
