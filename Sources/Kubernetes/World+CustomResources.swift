import JSON
/// CustomResourceDefinitions as the apiextensions-apiserver keeps them: names defaulted, the
/// status its controllers write, the rules its validation enforces, and the cleanup that removes
/// a definition's objects before the definition itself.
extension World {
    /// Every stored CRD that defines a kind, in name order.
    package var customResourceDefinitions: [CustomResourceDefinition] {
        list(.customResourceDefinitions).compactMap(CustomResourceDefinition.init)
    }

    /// Whether objects of `r` count spec changes in `metadata.generation`: the built-in kinds
    /// that do, CRDs, and every custom resource (the custom-resource strategy bumps it on any
    /// change outside metadata and status, `customresource/strategy.go@v1.32.0`).
    static func countsGeneration(_ r: ResourceType) -> Bool {
        generational.contains(r) || r == .customResourceDefinitions || !ResourceType.builtIn.contains(r)
    }

    /// Whether a write changed anything outside metadata and status: what bumps the generation.
    static func generationChanged(_ new: KubeObject, _ old: KubeObject) -> Bool {
        var a = new.body
        var b = old.body
        a["status"] = nil
        b["status"] = nil
        return a != b
    }

    /// Fills in what `SetDefaults_CustomResourceDefinition` does (`names.singular` from the
    /// kind, `listKind`, `conversion.strategy: None`) and writes the status the naming and
    /// establishing controllers write (`NamesAccepted`/`NoConflicts`, `Established`/
    /// `InitialNamesAccepted`, `acceptedNames`, `storedVersions` with the storage version added;
    /// `apiextensions-apiserver/pkg/controller/{status,establish}` at v1.32.0).
    func defaultCustomResourceDefinition(_ obj: inout KubeObject, previous: KubeObject?) {
        var spec = obj.spec
        guard var names = spec["names"], let kind = names["kind"]?.stringValue else { return }
        if names["singular"] == nil { names["singular"] = .string(kind.lowercased()) }
        if names["listKind"] == nil { names["listKind"] = .string(kind + "List") }
        spec["names"] = names
        if spec["conversion"] == nil { spec["conversion"] = ["strategy": "None"] }
        obj.spec = spec
        var accepted: JSONObject = [:]
        for key in ["plural", "singular", "shortNames", "kind", "listKind", "categories"] {
            if let v = names[key] { accepted[key] = v }
        }
        let storage = (spec["versions"]?.arrayValue ?? []).first { $0["storage"]?.boolValue == true }?["name"]?.stringValue
        var stored = (previous?.status["storedVersions"]?.arrayValue ?? []).compactMap(\.stringValue)
        if let storage, !stored.contains(storage) { stored.append(storage) }
        func condition(_ type: String, _ reason: String, _ message: String) -> JSONValue {
            let since = previous?.status["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == type }?["lastTransitionTime"]
            return [
                "type": .string(type), "status": "True", "lastTransitionTime": since ?? .string(meta.now.rfc3339),
                "reason": .string(reason), "message": .string(message),
            ]
        }
        obj.status = [
            "conditions": [
                condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                condition("Established", "InitialNamesAccepted", "the initial names have been accepted"),
            ],
            "acceptedNames": .object(accepted),
            "storedVersions": .array(stored.map { .string($0) }),
        ]
    }

    /// The checks of `ValidateCustomResourceDefinition`
    /// (`apiextensions-apiserver/pkg/apis/apiextensions/validation/validation.go@v1.32.0`) that a
    /// hand-written CRD most often trips over.
    static func customResourceDefinitionCauses(_ obj: KubeObject) -> [String] {
        var causes: [String] = []
        let spec = obj.spec
        let group = spec["group"]?.stringValue ?? ""
        let plural = spec[path: ["names", "plural"]]?.stringValue ?? ""
        if obj.name != "\(plural).\(group)" {
            causes.append("metadata.name: Invalid value: \"\(obj.name)\": must be spec.names.plural+\".\"+spec.group")
        }
        if group.isEmpty {
            causes.append("spec.group: Required value")
        } else if !group.contains(".") {
            causes.append("spec.group: Invalid value: \"\(group)\": should be a domain with at least one dot")
        }
        if plural.isEmpty { causes.append("spec.names.plural: Required value") }
        if spec[path: ["names", "kind"]]?.stringValue?.isEmpty ?? true { causes.append("spec.names.kind: Required value") }
        let scope = spec["scope"]?.stringValue ?? ""
        if !["Cluster", "Namespaced"].contains(scope) {
            causes.append(
                scope.isEmpty
                    ? "spec.scope: Required value" : "spec.scope: Unsupported value: \"\(scope)\": supported values: \"Cluster\", \"Namespaced\"")
        }
        let versions = spec["versions"]?.arrayValue ?? []
        if versions.isEmpty { causes.append("spec.versions: Invalid value: \"null\": must have exactly one version marked as storage version") }
        for (i, v) in versions.enumerated() {
            if v["name"]?.stringValue?.isEmpty ?? true { causes.append("spec.versions[\(i)].name: Required value") }
            if v[path: ["schema", "openAPIV3Schema"]] == nil {
                causes.append("spec.versions[\(i)].schema.openAPIV3Schema: Required value: schemas are required")
            }
        }
        if !versions.isEmpty, versions.filter({ $0["storage"]?.boolValue == true }).count != 1 {
            let names = versions.compactMap { $0["name"]?.stringValue }.joined(separator: ", ")
            causes.append("spec.versions: Invalid value: \"\(names)\": must have exactly one version marked as storage version")
        }
        return causes
    }

    /// Deleting a CRD deletes every object of its kind first (the `customresourcecleanup`
    /// finalizer's job); the emulator does it within the same write.
    mutating func removeCustomResources(of definition: KubeObject, ctx: inout Context) {
        guard let crd = CustomResourceDefinition(definition) else { return }
        let kind = crd.resource(version: crd.storageVersion)
        for key in index.keys(kind).sorted() { remove(key, ctx: &ctx) }
    }
}
