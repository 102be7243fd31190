import JSON
/// The catalog as a server with CRDs serves it: the built-in kinds, the ones an extension
/// compiles in, and one kind per established CRD, each in every version the CRD serves.
extension ResourceCatalog {
    init(all: [ResourceType], definitions: [CustomResourceDefinition]) {
        self.all = all
        self.definitions = definitions
    }

    /// This catalog plus the kinds `definitions` define. A CRD's kind takes the place of a
    /// compiled-in extension kind with the same group and plural; built-in kinds always win.
    package func including(_ definitions: [CustomResourceDefinition]) -> ResourceCatalog {
        let defined = definitions.filter { d in !ResourceType.builtIn.contains { $0.group == d.group && $0.plural == d.plural } }
        let kept = all.filter { r in !defined.contains { $0.group == r.group && $0.plural == r.plural } }
        return ResourceCatalog(all: kept + defined.map { $0.resource(version: $0.storageVersion) }, definitions: defined)
    }

    /// The CRD that defines `resource`, nil for built-in and compiled-in kinds.
    package func definition(of resource: ResourceType) -> CustomResourceDefinition? {
        definitions.first { $0.group == resource.group && $0.plural == resource.plural }
    }

    /// The kind as it is served at `group/version` under `plural`, nil when not served there.
    package func served(_ plural: String, group: String, version: String) -> ResourceType? {
        if let d = definitions.first(where: { $0.group == group && $0.plural == plural }) {
            return d.servedVersions.contains(version) ? d.resource(version: version) : nil
        }
        return all.first { $0.plural == plural && $0.group == group && $0.version == version }
    }

    /// Every version a group serves, preferred first.
    package func versions(ofGroup group: String) -> [String] {
        var versions: [String] = []
        for r in all where r.group == group {
            for v in definition(of: r)?.servedVersions ?? [r.version] where !versions.contains(v) { versions.append(v) }
        }
        return versions.sorted { KubeVersion.isHigherPriority($0, than: $1) }
    }

    /// The kinds served at one group version, in discovery order.
    package func resources(group: String, version: String) -> [ResourceType] {
        all.compactMap { r in r.group == group ? served(r.plural, group: group, version: version) : nil }
    }

    /// `kubectl get all` / `kubectl get <category>`: the categories a kind belongs to.
    package func categories(of resource: ResourceType) -> [String] {
        if let d = definition(of: resource) { return d.categories }
        return [ResourceType.pods, .services, .deployments, .replicaSets].contains(resource) ? ["all"] : []
    }

    /// Every group version served, as `/openapi/v3` names them: `api/v1`, `apis/<group>/<version>`.
    package var groupVersionPaths: [String] {
        var seen: [String] = []
        for r in all {
            for v in definition(of: r)?.servedVersions ?? [r.version] {
                let p = r.group.isEmpty ? "api/\(v)" : "apis/\(r.group)/\(v)"
                if !seen.contains(p) { seen.append(p) }
            }
        }
        return seen
    }
}
