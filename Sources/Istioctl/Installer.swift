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

    /// `revisionFlag`: the revision came from `-r/--revision` (1.10 adds Service `istiod` only then).
    func install(_ manifest: IstioManifest, operatorSpec: JSONValue, revisionFlag: Bool = false) async throws {
        // Whether an injector existed decides, from 1.12, whether this install becomes the default.
        let injectorsBefore = try await client.list(.mutatingWebhookConfigurations, labelSelector: "app=sidecar-injector")
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
        try await afterComponents(manifest.spec, revisionFlag: revisionFlag, injectorsBefore: injectorsBefore)
    }

    /// What istioctl does once the components are in, per release: 1.10's Service `istiod` for a
    /// revision-only control plane; from 1.12 the default tag.
    func afterComponents(_ spec: IstioInstallSpec, revisionFlag: Bool, injectorsBefore: [KubeObject]) async throws {
        if revisionFlag, !spec.revision.isEmpty, spec.version.has(.istiodServiceForRevisions), try await requiresIstiodService(spec) {
            do {
                _ = try await client.create(IstioManifest.istiodServiceForRevisions(spec))
            } catch {
                // install.go@1.10.0 ~198: a warning, not a failure.
                Console.err(
                    "Validation cannot function without an istiod service but the installer failed to create one. Please consider creating the istiod service manually as outlined in the canary upgrade documentation (https://istio.io/v\(spec.version.minorString)/docs/setup/upgrade/canary/).")
            }
        }
        if RevisionTag.installBecomesDefault(spec, injectorsBefore: injectorsBefore) {
            // Printed with cobra's Println, which writes to stderr (install.go@1.12.0 ~198, @1.20.0 ~213).
            if let message = RevisionTag.installMessage(spec.version) { Console.err(message) }
            await RevisionTags.makeDefault(spec, client)
        }
    }

    /// `requiresIstiodServiceCreation` (install.go@1.10.0): no Service `istiod`, and Base's
    /// validator calls it.
    func requiresIstiodService(_ spec: IstioInstallSpec) async throws -> Bool {
        guard try await client.get(.services, namespace: spec.namespace, "istiod") == nil,
            let validator = try await client.get(.validatingWebhookConfigurations, "istiod-\(spec.namespace)")
        else { return false }
        return (validator.body["webhooks"]?.arrayValue ?? []).contains { $0[path: ["clientConfig", "service", "name"]] == "istiod" }
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
