/// One kind of object the emulated API server stores, with what discovery says about it.
/// Equality is by group and plural name.
package struct ResourceType: Hashable, Sendable, Codable, CustomStringConvertible {
    package var group: String
    package var version: String
    package var plural: String
    package var singular: String
    package var kind: String
    package var namespaced: Bool
    package var shortNames: [String]

    package init(
        group: String, version: String = "v1", plural: String, singular: String, kind: String,
        namespaced: Bool, shortNames: [String] = []
    ) {
        self.group = group
        self.version = version
        self.plural = plural
        self.singular = singular
        self.kind = kind
        self.namespaced = namespaced
        self.shortNames = shortNames
    }

    package static func == (a: Self, b: Self) -> Bool { a.group == b.group && a.plural == b.plural }
    package func hash(into h: inout Hasher) {
        h.combine(group)
        h.combine(plural)
    }

    /// `apps/v1`, or `v1` for the core group.
    package var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    /// `deployments.apps`, or `pods` for the core group: how API errors name a resource.
    package var qualifiedName: String { group.isEmpty ? plural : "\(plural).\(group)" }
    package var description: String { qualifiedName }

    package static let namespaces = ResourceType(
        group: "", plural: "namespaces", singular: "namespace", kind: "Namespace", namespaced: false,
        shortNames: ["ns"])
    package static let pods = ResourceType(
        group: "", plural: "pods", singular: "pod", kind: "Pod", namespaced: true, shortNames: ["po"])
    package static let services = ResourceType(
        group: "", plural: "services", singular: "service", kind: "Service", namespaced: true,
        shortNames: ["svc"])
    package static let configMaps = ResourceType(
        group: "", plural: "configmaps", singular: "configmap", kind: "ConfigMap", namespaced: true,
        shortNames: ["cm"])
    package static let serviceAccounts = ResourceType(
        group: "", plural: "serviceaccounts", singular: "serviceaccount", kind: "ServiceAccount",
        namespaced: true, shortNames: ["sa"])
    package static let secrets = ResourceType(
        group: "", plural: "secrets", singular: "secret", kind: "Secret", namespaced: true)
    /// What the scheduler, the kubelet and the controllers record (`World+Events.swift`).
    package static let events = ResourceType(
        group: "", plural: "events", singular: "event", kind: "Event", namespaced: true, shortNames: ["ev"])
    /// The same Events through the events API (`KubeAPI`'s `EventsAPI` translates the fields).
    package static let eventsV1 = ResourceType(
        group: "events.k8s.io", plural: "events", singular: "event", kind: "Event", namespaced: true, shortNames: ["ev"])
    package static let deployments = ResourceType(
        group: "apps", plural: "deployments", singular: "deployment", kind: "Deployment", namespaced: true,
        shortNames: ["deploy"])
    package static let replicaSets = ResourceType(
        group: "apps", plural: "replicasets", singular: "replicaset", kind: "ReplicaSet", namespaced: true,
        shortNames: ["rs"])
    package static let mutatingWebhookConfigurations = ResourceType(
        group: "admissionregistration.k8s.io", plural: "mutatingwebhookconfigurations",
        singular: "mutatingwebhookconfiguration", kind: "MutatingWebhookConfiguration", namespaced: false)
    package static let validatingWebhookConfigurations = ResourceType(
        group: "admissionregistration.k8s.io", plural: "validatingwebhookconfigurations",
        singular: "validatingwebhookconfiguration", kind: "ValidatingWebhookConfiguration", namespaced: false)

    /// The kinds every cluster serves, in discovery order. Custom resources come
    /// through a `ResourceCatalog`.
    package static let builtIn: [ResourceType] = [
        .namespaces, .pods, .services, .configMaps, .serviceAccounts, .secrets, .events,
        .deployments, .replicaSets,
        .mutatingWebhookConfigurations, .validatingWebhookConfigurations,
        .customResourceDefinitions, .eventsV1,
        .nodes, .endpoints, .endpointSlices, .leases,
        .statefulSets, .daemonSets,
    ]

    /// Decoding prefers this build's definition of a built-in resource over the stored copy, so a
    /// world saved by an older xdsemu picks up corrected kinds, versions and short names.
    package init(from decoder: any Decoder) throws {
        enum Keys: String, CodingKey { case group, version, plural, singular, kind, namespaced, shortNames }
        let c = try decoder.container(keyedBy: Keys.self)
        let group = try c.decode(String.self, forKey: .group)
        let plural = try c.decode(String.self, forKey: .plural)
        if let known = Self.builtIn.first(where: { $0.plural == plural && $0.group == group }) {
            self = known
            return
        }
        self.init(
            group: group, version: try c.decode(String.self, forKey: .version), plural: plural,
            singular: try c.decode(String.self, forKey: .singular), kind: try c.decode(String.self, forKey: .kind),
            namespaced: try c.decode(Bool.self, forKey: .namespaced), shortNames: try c.decode([String].self, forKey: .shortNames))
    }
}

/// The kinds one API server serves: the built-in ones and the custom resources an extension
/// adds, in discovery order.
package struct ResourceCatalog: Sendable {
    package let all: [ResourceType]
    /// The CRDs whose kinds are in `all` (see `including(_:)`).
    package internal(set) var definitions: [CustomResourceDefinition] = []

    package init(adding extensions: [ResourceType] = []) {
        all = ResourceType.builtIn + extensions.filter { !ResourceType.builtIn.contains($0) }
    }

    /// The resource with this group and plural, if served.
    package func named(_ plural: String, group: String) -> ResourceType? {
        all.first { $0.plural == plural && $0.group == group }
    }

    /// The resource of an object's `apiVersion` + `kind`, if served.
    package func of(apiVersion: String, kind: String) -> ResourceType? {
        all.first { $0.apiVersion == apiVersion && $0.kind == kind }
    }
}
