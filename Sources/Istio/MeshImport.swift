import JSON
import Kubernetes

/// Builds a new world from a real cluster's
/// `kubectl get namespaces,deployments,statefulsets,daemonsets,services,configmaps,mutatingwebhookconfigurations,validatingwebhookconfigurations -A -o yaml`
/// (a `v1` `List`, already decoded from YAML or JSON).
///
/// What the dump's users made is created as they made it, minus what the API server fills in at
/// run time. What Istio made is not copied: each istiod Deployment in `istio-system` names a
/// release and a revision, and that release is installed again as the emulator renders it
/// (`World.installIstio`), so its istiod, webhooks, ConfigMaps and gateways are the emulator's
/// own. Pods are never imported: the Deployments' controllers create them, and the installed
/// releases' injectors inject them, as they would on the cluster.
package enum MeshImport {
    /// The namespace whose istiod Deployments are the control planes.
    package static let istioNamespace = "istio-system"

    /// Builds the world as if it had been set up `ageMilliseconds` before `now`, every pod Running
    /// by `now`. Throws when the value is not a `List` of Kubernetes objects, when a kind it
    /// imports comes in another apiVersion, and when an istiod runs a release the emulator does
    /// not render; `file` names the dump in those messages.
    package static func load(
        list: JSONValue, file: String, config: WorldConfig = WorldConfig(), now: Timestamp,
        ageMilliseconds: Int64 = 3_600_000
    ) throws(MeshImportError) -> ImportedMesh {
        do {
            return try build(items: try items(of: list), config: config, now: now, ageMilliseconds: ageMilliseconds)
        } catch {
            throw MeshImportError("\(file): \(error.message)")
        }
    }

    /// The items of a `v1` `List`, as `kubectl get … -o yaml|json` writes it.
    static func items(of list: JSONValue) throws(MeshImportError) -> [JSONValue] {
        let expected = "expected the kind: List that `kubectl get … -A -o yaml` writes"
        guard case .object(let top) = list else {
            throw MeshImportError("\(expected), not a single value or a sequence at the top level")
        }
        guard let kind = top["kind"]?.stringValue, kind == "List" else {
            throw MeshImportError("\(expected), not \(top["kind"]?.stringValue.map { "kind: \($0)" } ?? "a document without kind")")
        }
        guard top["apiVersion"]?.stringValue == "v1" else {
            throw MeshImportError("\(expected) with apiVersion: v1, not apiVersion: \(top["apiVersion"]?.stringValue ?? "(none)")")
        }
        guard let items = (top["items"] ?? .array([])).arrayValue else {
            throw MeshImportError("\(expected): its items must be a sequence of objects")
        }
        return items
    }

    static func build(items: [JSONValue], config: WorldConfig, now: Timestamp, ageMilliseconds: Int64)
        throws(MeshImportError) -> ImportedMesh
    {
        var objects: [KubeObject] = []
        var skipped: [SkippedObject] = []
        for (index, item) in items.enumerated() {
            switch try classify(item, index: index) {
            case .imported(let object): objects.append(object)
            case .skipped(let entry): skipped.append(entry)
            }
        }
        let revisions = try recogniseRevisions(objects)
        var world = World(config: config, now: Timestamp(milliseconds: now.milliseconds - ageMilliseconds))
        let admission: [any AdmissionControl] = [SidecarInjector(), IstioConfigValidation()]

        // Namespaces first: everything else lives in one.
        for namespace in objects where namespace.resource == .namespaces {
            if let failure = world.createOrRelabel(namespace, admission: admission) { skipped.append(failure) }
        }
        // Istio's control planes, oldest release first (the order an upgrade installs them), so
        // what two installs both render (the Base validator, an upgraded gateway) ends as the
        // newest left it. Each is installed with the gateways and addons the dump shows it owning.
        let components = objects.compactMap(InstallComponent.init)
        var rendered: [ObjectKey: String] = [:]
        for revision in revisions {
            let owned = components.filter { $0.owner(among: revisions) == revision }.map(\.component)
            let spec = revision.installSpec(
                ingressGateway: owned.contains(.ingressGateways), egressGateway: owned.contains(.egressGateways),
                prometheusAddon: owned.contains(.addons))
            if world.get(ObjectKey(.namespaces, name: spec.namespace)) == nil {
                _ = world.createOrRelabel(KubeObject(resource: .namespaces, metadata: ObjectMeta(name: spec.namespace)), admission: admission)
            }
            do {
                try world.installIstio(spec, admission: admission)
            } catch {
                throw MeshImportError("cannot install Istio \(revision.version) as revision \(revision.revision): \(error.message)")
            }
            for object in IstioManifest(spec).allObjects {
                rendered[object.key] = "re-created by the emulator's install of Istio \(revision.version) (revision \(revision.revision))"
            }
        }
        // A default injector that `tag set default` deactivated (1.12+) stays deactivated.
        for object in objects where rendered[object.key] != nil && IstioManifest.isDeactivated(object) {
            guard let current = world.get(object.key) else { continue }
            do { _ = try world.update(IstioManifest.deactivated(current), admission: admission) } catch {
                throw MeshImportError("cannot deactivate \(object.name) as the dump has it: \(error.message)")
            }
        }

        // What the cluster's users made, in dependency order.
        var kept: [KubeObject] = []
        for object in objects where object.resource != .namespaces {
            if let reason = rendered[object.key] ?? istioOwnedReason(object, revisions: revisions) {
                skipped.append(SkippedObject(object, reason))
            } else {
                kept.append(object)
            }
        }
        let order: [ResourceType] = [
            .configMaps, .services, .mutatingWebhookConfigurations, .validatingWebhookConfigurations, .deployments,
        ]
        for account in impliedServiceAccounts(of: kept) where world.get(account.key) == nil {
            if let failure = world.createImported(account, admission: admission) { skipped.append(failure) }
        }
        for resource in order {
            for object in kept where object.resource == resource {
                if let failure = world.createImported(object, admission: admission) { skipped.append(failure) }
            }
        }
        _ = world.advance(to: now, admission: admission)
        return ImportedMesh(world: world, skipped: skipped, revisions: revisions)
    }

    /// The control planes of the dump, oldest release first, the default revision before others
    /// of the same release.
    static func recogniseRevisions(_ objects: [KubeObject]) throws(MeshImportError) -> [ImportedRevision] {
        var revisions: [ImportedRevision] = []
        for deployment in objects where deployment.namespace == istioNamespace && ImportedRevision.isIstiod(deployment) {
            let revision = try ImportedRevision.recognise(deployment)
            if let other = revisions.first(where: { $0.revision == revision.revision }) {
                throw MeshImportError(
                    "istiod Deployments \(other.deployment) and \(revision.deployment) both serve revision \(revision.revision); expected one istiod per revision")
            }
            revisions.append(revision)
        }
        return revisions.sorted {
            ($0.version, $0.revision == "default" ? 0 : 1, $0.revision) < ($1.version, $1.revision == "default" ? 0 : 1, $1.revision)
        }
    }

    /// The service accounts the dump's Deployments run as: the dump has none (the kubectl command
    /// lists no ServiceAccounts), and a pod's account must exist for the pod to be admitted
    /// (`plugin/pkg/admission/serviceaccount/admission.go`@v1.32.0), so each is created empty.
    static func impliedServiceAccounts(of objects: [KubeObject]) -> [KubeObject] {
        var seen = Set<ObjectKey>()
        var accounts: [KubeObject] = []
        for deployment in objects where deployment.resource == .deployments {
            let podSpec = deployment.spec[path: ["template", "spec"]]
            guard let name = podSpec?["serviceAccountName"]?.stringValue ?? podSpec?["serviceAccount"]?.stringValue,
                !name.isEmpty, name != "default"
            else { continue }
            let account = KubeObject(resource: .serviceAccounts, metadata: ObjectMeta(name: name, namespace: deployment.namespace))
            if seen.insert(account.key).inserted { accounts.append(account) }
        }
        return accounts
    }
}

extension World {
    /// Creates an imported namespace, or (for one the cluster made itself, as `kube-node-lease`)
    /// gives the existing one the dump's labels and annotations; what refused it, if anything.
    mutating func createOrRelabel(_ namespace: KubeObject, admission: [any AdmissionControl]) -> SkippedObject? {
        guard var existing = get(namespace.key) else { return createImported(namespace, admission: admission) }
        existing.metadata.labels.merge(namespace.labels) { _, dumped in dumped }
        existing.metadata.annotations.merge(namespace.metadata.annotations) { _, dumped in dumped }
        do { _ = try update(existing, admission: admission) } catch { return SkippedObject(namespace, Self.oneLine(error.message)) }
        return nil
    }

    /// Creates an imported object through the API's rules (defaults, admission, validation, the
    /// controllers); what refused it, if anything, as a skipped entry.
    mutating func createImported(_ object: KubeObject, admission: [any AdmissionControl]) -> SkippedObject? {
        do {
            _ = try create(object, admission: admission)
            return nil
        } catch where error.code == .alreadyExists {
            return SkippedObject(object, "the emulated cluster makes its own (\(error.message))")
        } catch {
            return SkippedObject(object, "refused by the emulated API server: \(Self.oneLine(error.message))")
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
