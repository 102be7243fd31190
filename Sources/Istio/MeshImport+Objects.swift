import JSON
import Kubernetes

/// Which objects of a dump are read, which are left out and why, and what of each is the API
/// server's own run-time state rather than what its users wrote.
extension MeshImport {
    /// The kinds imported, each in the one apiVersion the emulator serves (and kubectl 1.32 writes).
    package static let importedKinds: [ResourceType] = [
        .namespaces, .deployments, .services, .configMaps, .mutatingWebhookConfigurations, .validatingWebhookConfigurations,
    ]

    /// Kinds a dump may hold that are listed as skipped without being read further.
    package static let skippedKinds: [String: String] = [
        "Secret": "Secrets are never read: its data is left out",
        "StatefulSet": "the emulated cluster runs no StatefulSet controller, so nothing would create its pods",
        "DaemonSet": "the emulated cluster runs no DaemonSet controller, so nothing would create its pods",
        "Pod": "pods are not imported: their controllers create them, injected by the installed Istio releases",
        "ReplicaSet": "ReplicaSets are not imported: their Deployment's controller creates them",
    ]

    enum Classified {
        case imported(KubeObject)
        case skipped(SkippedObject)
    }

    /// Reads one item of the List. A Secret is named and left; nothing else of it is looked at.
    static func classify(_ item: JSONValue, index: Int) throws(MeshImportError) -> Classified {
        guard let apiVersion = item["apiVersion"]?.stringValue, let kind = item["kind"]?.stringValue,
            let name = item[path: ["metadata", "name"]]?.stringValue, !name.isEmpty
        else {
            throw MeshImportError("item \(index + 1) of the List is not a Kubernetes object: expected apiVersion, kind and metadata.name")
        }
        let namespace = item[path: ["metadata", "namespace"]]?.stringValue ?? ""
        func skip(_ reason: String) -> Classified {
            .skipped(SkippedObject(kind: kind, namespace: namespace, name: name, reason: reason))
        }
        if let reason = skippedKinds[kind] { return skip(reason) }
        guard let resource = importedKinds.first(where: { $0.kind == kind }) else {
            let names = importedKinds.map(\.kind).joined(separator: ", ")
            return skip("\(kind) (\(apiVersion)) is not a kind the import reads (\(names))")
        }
        guard apiVersion == resource.apiVersion else {
            let at = namespace.isEmpty ? name : "\(namespace)/\(name)"
            throw MeshImportError("\(kind) \(at) has apiVersion \(apiVersion); expected \(resource.apiVersion), as kubectl writes it")
        }
        do {
            return .imported(try KubeObject(json: withoutRuntimeFields(item, resource), resource: resource))
        } catch {
            return skip("not a valid \(kind): \(World.oneLine(error.message))")
        }
    }

    /// The object as its users wrote it: no status, none of the metadata the API server assigns
    /// (uid, resourceVersion, generation, creationTimestamp, managedFields), no owner references or
    /// finalizers (their owners and controllers are not in the dump), no Deployment revision
    /// annotation (the controller's), and no Service clusterIP (the emulator allocates its own from
    /// its service range; a headless `None` stays).
    static func withoutRuntimeFields(_ item: JSONValue, _ resource: ResourceType) -> JSONValue {
        guard case .object(var o) = item else { return item }
        o["status"] = nil
        var meta = o["metadata"]?.objectValue ?? [:]
        for field in [
            "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields", "selfLink", "ownerReferences",
            "finalizers", "deletionTimestamp", "deletionGracePeriodSeconds",
        ] {
            meta[field] = nil
        }
        if var annotations = meta["annotations"]?.objectValue {
            annotations["deployment.kubernetes.io/revision"] = nil
            meta["annotations"] = annotations.isEmpty ? nil : .object(annotations)
        }
        o["metadata"] = .object(meta)
        switch resource {
        case .namespaces:
            o["spec"] = nil  // `finalizers: [kubernetes]`, the API server's
        case .services:
            if var spec = o["spec"]?.objectValue, spec["clusterIP"] != "None" {
                spec["clusterIP"] = nil
                spec["clusterIPs"] = nil
                o["spec"] = .object(spec)
            }
        default:
            break
        }
        return .object(o)
    }

    /// Why an object the installs did not render is still not imported, if it is not: it is
    /// Istio's own (the operator's labels; a gateway or addon no recognised release owns), Istio
    /// writes it at run time, or it is a webhook the emulated API server would never call.
    static func istioOwnedReason(_ object: KubeObject, revisions: [ImportedRevision]) -> String? {
        let releases = revisions.map { "\($0.version) (\($0.revision))" }.joined(separator: ", ")
        if let component = InstallComponent(object) {
            let release = component.release.map { "Istio \($0)" } ?? "an Istio release its image does not name"
            return "Istio's \(component.component.title.lowercased()) at \(release), which no recognised istiod runs (found: \(releases.isEmpty ? "none" : releases))"
        }
        // A revision tag is the user's choice (`istioctl tag set`), even where a chart stamped it
        // with the operator's labels (`manifests/charts/istio-control/istio-discovery/templates/revision-tags.yaml`@1.20.3):
        // imported as written.
        if let component = object.labels["operator.istio.io/component"], object.labels["istio.io/tag"] == nil {
            return revisions.isEmpty
                ? "Istio's own (component \(component)), but no istiod Deployment in \(istioNamespace) names a release to install"
                : "Istio's own (component \(component)), which the emulator's install of \(releases) does not render"
        }
        switch object.resource {
        case .configMaps where object.name == "istio-ca-root-cert":
            // `CACertNamespaceConfigMap`, pilot/pkg/serviceregistry/kube/controller/namespacecontroller.go@1.20.3.
            return "istiod writes its root certificate into every namespace at run time; the emulated istiod issues none"
        case .configMaps where object.metadata.annotations["control-plane.alpha.kubernetes.io/leader"] != nil:
            return "a leader-election record a running controller writes"
        case .mutatingWebhookConfigurations where !hookNames(object).contains { $0.hasSuffix(IstioManifest.injectorWebhookName) }:
            return "not an Istio injection webhook: the emulated API server calls no other webhooks"
        case .validatingWebhookConfigurations where !hookNames(object).contains { $0.hasSuffix("validation.istio.io") }:
            return "not Istio's config validation: the emulated API server calls no other webhooks"
        default:
            return nil
        }
    }

    static func hookNames(_ configuration: KubeObject) -> [String] {
        (configuration.body["webhooks"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
    }
}

/// A component an install renders besides istiod, as the dump shows it: the ingress or egress
/// gateway, or the 1.6–1.7 prometheus addon, with the release that rendered it (the operator's
/// `operator.istio.io/version` label, else its image tag) and, from 1.7, its revision.
struct InstallComponent {
    var component: IstioManifest.Component
    var release: IstioVersion?
    var revision: String?

    init?(_ object: KubeObject) {
        guard object.resource == .deployments, object.namespace == MeshImport.istioNamespace else { return nil }
        switch (object.labels["operator.istio.io/component"], object.labels["app"]) {
        case ("IngressGateways", _), (nil, "istio-ingressgateway"): component = .ingressGateways
        case ("EgressGateways", _), (nil, "istio-egressgateway"): component = .egressGateways
        case ("AddonComponents", "prometheus"): component = .addons
        default: return nil
        }
        let image = object.spec[path: ["template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue ?? ""
        release = object.labels["operator.istio.io/version"].flatMap(IstioVersion.init) ?? ImportedRevision.release(ofImage: image)
        revision = object.labels["istio.io/rev"]
    }

    /// The control plane whose install renders it: same release (and revision, when labelled),
    /// the default revision first, as the install that upgraded a gateway in place last.
    func owner(among revisions: [ImportedRevision]) -> ImportedRevision? {
        let candidates = revisions.filter { r in
            (release == nil || r.version == release) && (revision == nil || r.revision == revision)
        }
        return candidates.first { $0.revision == "default" } ?? candidates.first
    }
}

extension IstioManifest {
    /// Whether `tag set default` (1.12+) left this injector matching nothing (`deactivated`).
    static func isDeactivated(_ configuration: KubeObject) -> Bool {
        let hooks = configuration.body["webhooks"]?.arrayValue ?? []
        return configuration.resource == .mutatingWebhookConfigurations && !hooks.isEmpty
            && hooks.allSatisfy { $0["namespaceSelector"] == neverMatch && $0["objectSelector"] == neverMatch }
    }
}
