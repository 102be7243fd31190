import JSON
import Kubernetes

extension World {
    /// Installs one Istio release as `istioctl install` applies it (`Installer` in `Istioctl`),
    /// written straight into the world: the Base chart's CRDs, then each component's objects and
    /// Istio config, each created or, when an earlier install left it, replaced (labels and body
    /// the new release's, annotations merged, status kept). Then the world runs until the new
    /// istiod is ready, so its injector answers for pods created after it, and does what a
    /// running istiod's webhook controller does: makes the Base validator fail closed.
    package mutating func installIstio(_ spec: IstioInstallSpec, admission: [any AdmissionControl]) throws(WorldError) {
        let manifest = IstioManifest(spec)
        for object in manifest.definitions + manifest.allObjects {
            if var existing = get(object.key) {
                existing.metadata.labels = object.labels
                existing.metadata.annotations.merge(object.metadata.annotations) { _, new in new }
                let status = existing.body["status"]
                existing.body = object.body
                if let status { existing.body["status"] = status }
                _ = try update(existing, admission: admission)
            } else {
                _ = try create(object, admission: admission)
            }
        }
        _ = advance(to: now + 8 * config.stepMilliseconds, admission: admission)
        for validator in list(.validatingWebhookConfigurations) {
            if let closed = IstioManifest.failingClosed(validator) { _ = try? update(closed) }
        }
    }
}
