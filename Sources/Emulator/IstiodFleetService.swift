import Istiod
import MeshModel
import ServiceLifecycle

/// Runs the `IstiodFleet` in the emulator's service group: one live xDS server per installed
/// revision, until graceful shutdown stops them all.
struct IstiodFleetService: Service {
    let fleet: IstiodFleet

    func run() async throws {
        try await cancelWhenGracefulShutdown { await fleet.run() }
    }
}

extension Emulator {
    /// What the API server runs on every write: Istio's sidecar injector and config validation,
    /// driven by the webhook configurations in the world (inert while none are installed).
    public static let istioAdmission: [any AdmissionControl] = [SidecarInjector(), IstioConfigValidation()]
}
