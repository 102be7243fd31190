import EmulatorAPI
import Istiod
import PushCore
import Kubernetes
import KubeRuntime
import Istio
import ServiceLifecycle

/// Runs the `IstiodFleet` in the emulator's service group: one live xDS server per installed
/// revision, until graceful shutdown stops them all.
struct IstiodFleetService: Service {
    let fleet: IstiodFleet

    func run() async throws {
        await cancelWhenGracefulShutdown { await fleet.run() }
    }
}

extension Emulator {
    /// What the API server runs on every write: Istio's sidecar injector and config validation,
    /// driven by the webhook configurations in the world (inert while none are installed).
    package static let istioAdmission: [any AdmissionControl] = [SidecarInjector(), IstioConfigValidation()]
}

extension IstiodFleet {
    /// What `GET /metrics` answers: each live istiod's push metrics, labelled by revision.
    func metricsText() -> String {
        PushMetrics.prometheusText(istiods().map { (["revision": $0.revision.name], $0.server.metrics()) })
    }

    /// What `GET /xdsemu/v1/istiods` answers: each live revision and where its xDS server listens.
    func statuses() -> [IstiodStatus] {
        istiods().map { istiod in
            IstiodStatus(
                revision: istiod.revision.name, version: istiod.revision.version.description, host: istiod.host,
                address: "127.0.0.1:\(istiod.port)", pod: istiod.podName, deployment: istiod.revision.deployment,
                namespace: istiod.revision.namespace)
        }
    }
}
