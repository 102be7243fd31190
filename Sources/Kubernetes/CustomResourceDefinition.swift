import JSON
extension ResourceType {
    /// `apiextensions.k8s.io/v1` CustomResourceDefinitions: each one, while it exists, makes the
    /// server serve one more kind.
    package static let customResourceDefinitions = ResourceType(
        group: "apiextensions.k8s.io", plural: "customresourcedefinitions", singular: "customresourcedefinition",
        kind: "CustomResourceDefinition", namespaced: false, shortNames: ["crd", "crds"])
}

/// What a stored CustomResourceDefinition says about the kind it defines: names, scope, the
/// versions served (and the one stored), printer columns and schemas per version. Read from the
/// object's `spec` after defaulting, so every name is filled in.
package struct CustomResourceDefinition: Hashable, Sendable {
    package struct Version: Hashable, Sendable {
        package var name: String
        package var served: Bool
        package var storage: Bool
        package var columns: [PrinterColumn]
        /// `schema.openAPIV3Schema`, if any.
        package var schema: JSONValue?
    }

    /// One `additionalPrinterColumns` entry.
    package struct PrinterColumn: Hashable, Sendable {
        package var name: String
        package var type: String
        package var format: String
        package var description: String
        package var priority: Int
        package var jsonPath: String

        package init(name: String, type: String, format: String, description: String, priority: Int, jsonPath: String) {
            self.name = name
            self.type = type
            self.format = format
            self.description = description
            self.priority = priority
            self.jsonPath = jsonPath
        }
    }

    package var name: String
    package var group: String
    package var kind: String
    package var listKind: String
    package var plural: String
    package var singular: String
    package var shortNames: [String]
    package var categories: [String]
    package var namespaced: Bool
    package var versions: [Version]

    /// nil when `object` is not a CRD or lacks the group, names or a storage version.
    package init?(_ object: KubeObject) {
        guard object.resource == .customResourceDefinitions else { return nil }
        let spec = object.spec
        guard let group = spec["group"]?.stringValue, let names = spec["names"], let plural = names["plural"]?.stringValue,
            let kind = names["kind"]?.stringValue
        else { return nil }
        let strings = { (v: JSONValue?) in (v?.arrayValue ?? []).compactMap(\.stringValue) }
        let versions: [Version] = (spec["versions"]?.arrayValue ?? []).compactMap { v in
            guard let name = v["name"]?.stringValue else { return nil }
            let columns = (v["additionalPrinterColumns"]?.arrayValue ?? []).compactMap { c -> PrinterColumn? in
                guard let n = c["name"]?.stringValue, let path = c["jsonPath"]?.stringValue else { return nil }
                return PrinterColumn(
                    name: n, type: c["type"]?.stringValue ?? "string", format: c["format"]?.stringValue ?? "",
                    description: c["description"]?.stringValue ?? "", priority: Int(c["priority"]?.intValue ?? 0), jsonPath: path)
            }
            return Version(
                name: name, served: v["served"]?.boolValue ?? false, storage: v["storage"]?.boolValue ?? false, columns: columns,
                schema: v[path: ["schema", "openAPIV3Schema"]])
        }
        guard versions.contains(where: \.storage) else { return nil }
        self.name = object.name
        self.group = group
        self.kind = kind
        self.plural = plural
        self.singular = names["singular"]?.stringValue ?? kind.lowercased()
        self.listKind = names["listKind"]?.stringValue ?? kind + "List"
        self.shortNames = strings(names["shortNames"])
        self.categories = strings(names["categories"])
        self.namespaced = spec["scope"]?.stringValue != "Cluster"
        self.versions = versions
    }

    package var storageVersion: String { versions.first(where: \.storage)?.name ?? "" }
    /// The versions served, highest priority first (`v1` before `v1beta1` before `v1alpha3`).
    package var servedVersions: [String] {
        versions.filter(\.served).map(\.name).sorted { KubeVersion.isHigherPriority($0, than: $1) }
    }

    /// The kind as one version of it is served.
    package func resource(version: String) -> ResourceType {
        ResourceType(
            group: group, version: version, plural: plural, singular: singular, kind: kind, namespaced: namespaced,
            shortNames: shortNames)
    }

    package func version(_ name: String) -> Version? { versions.first { $0.name == name } }
}

/// Kubernetes' ordering of API versions (`version.CompareKubeAwareVersionStrings`,
/// `staging/src/k8s.io/apimachinery/pkg/version/helpers.go@v1.32.0`): GA before beta before
/// alpha, higher numbers first within each; anything else after, alphabetically.
package enum KubeVersion {
    static func parse(_ v: String) -> (major: Int, level: Int, minor: Int)? {
        guard v.hasPrefix("v") else { return nil }
        let rest = v.dropFirst()
        let digits = rest.prefix { $0.isNumber }
        guard let major = Int(digits), major > 0 else { return nil }
        let tail = rest.dropFirst(digits.count)
        if tail.isEmpty { return (major, 2, 0) }
        for (word, level) in [("beta", 1), ("alpha", 0)] where tail.hasPrefix(word) {
            guard let minor = Int(tail.dropFirst(word.count)) else { return nil }
            return (major, level, minor)
        }
        return nil
    }

    package static func isHigherPriority(_ a: String, than b: String) -> Bool {
        switch (parse(a), parse(b)) {
        case (let x?, let y?):
            if x.level != y.level { return x.level > y.level }
            if x.major != y.major { return x.major > y.major }
            return x.minor > y.minor
        case (.some, nil): return true
        case (nil, .some): return false
        case (nil, nil): return a < b
        }
    }
}
