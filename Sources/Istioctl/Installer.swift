import Foundation
import JSON
import Kubernetes
import Istio

/// Applies a rendered install through the Kubernetes API as Istio's operator does: each component's
/// objects, then its Istio config (which Istio's validating webhook may refuse), then a wait for its
/// Deployments; one progress line per component, and Istio's closing lines.
struct Installer {
    let client: KubeClient
    /// Seconds to wait for a component's Deployments.
    let readinessTimeout: Double

    func install(_ manifest: IstioManifest, operatorSpec: JSONValue) async throws {
        var failed = false
        for component in manifest.components {
            var errors: [String] = []
            for object in component.definitions + component.objects + component.istioConfig {
                do {
                    try await client.apply(object)
                } catch {
                    let message = "failed to create \"\(object.resource.kind)/\(object.namespace)/\(object.name)\": \(error)"
                    Console.log("error", "installer", message)
                    errors.append(message)
                }
            }
            if errors.isEmpty {
                for deployment in component.deployments {
                    if let notReady = await waitForReady(deployment, namespace: manifest.spec.namespace) { errors.append(notReady) }
                }
            }
            if errors.isEmpty {
                Console.out("✔ \(component.component.title) installed")
            } else {
                failed = true
                Console.out("✘ \(component.component.title) encountered an error: \(errors.joined(separator: "\n"))")
            }
        }
        if failed { throw IstioctlFailure("failed to apply manifests: errors occurred during operation") }
        try await recordInstalledState(manifest.spec, operatorSpec: operatorSpec)
        Console.out("✔ Installation complete")
    }

    /// The `installed-state[-<rev>]` IstioOperator the CLI leaves in the cluster.
    func recordInstalledState(_ spec: IstioInstallSpec, operatorSpec: JSONValue) async throws {
        var recorded = operatorSpec
        recorded["profile"] = .string(spec.profile)
        if !spec.revision.isEmpty { recorded["revision"] = .string(spec.revision) }
        let state = KubeObject(
            resource: .istioOperators,
            metadata: ObjectMeta(
                name: spec.installedStateName, namespace: spec.namespace,
                annotations: ["install.istio.io/ignoreReconcile": "true"]),
            body: ["spec": recorded])
        do { try await client.apply(state) } catch { Console.log("warn", "installer", "failed to save installed state: \(error)") }
    }

    /// nil once the Deployment has all its replicas updated and ready; an error line on timeout.
    func waitForReady(_ name: String, namespace: String) async -> String? {
        let deadline = Date().addingTimeInterval(readinessTimeout)
        while Date() < deadline {
            if let d = try? await client.get(.deployments, namespace: namespace, name), Self.isRolledOut(d) { return nil }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return "failed to wait for resource: resources not ready after \(Int(readinessTimeout))s: timed out waiting for the condition\nDeployment/\(namespace)/\(name)"
    }

    static func isRolledOut(_ d: KubeObject) -> Bool {
        let want = d.spec["replicas"]?.intValue ?? 1
        let status = d.status
        return (status["observedGeneration"]?.intValue ?? 0) >= d.metadata.generation
            && (status["updatedReplicas"]?.intValue ?? 0) == want && (status["readyReplicas"]?.intValue ?? 0) >= want
            && (status["replicas"]?.intValue ?? 0) == want
    }
}
