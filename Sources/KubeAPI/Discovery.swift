import JSON
import Kubernetes
import KubeRuntime

/// The discovery documents kubectl reads to learn what this server serves: `/api`, `/apis`, and a
/// resource list per group version. kubectl 1.32 first asks for aggregated discovery
/// (`application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`); answering plain
/// `application/json` makes it fall back to these older documents, which it caches per server.
enum Discovery {
    static let verbs: JSONValue = ["create", "delete", "get", "list", "patch", "update", "watch"]

    static func coreVersions(serverAddress: String) -> JSONValue {
        [
            "kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [["clientCIDR": "0.0.0.0/0", "serverAddress": .string(serverAddress)]],
        ]
    }

    static func groupNames(_ catalog: ResourceCatalog) -> [String] {
        var seen: [String] = []
        for r in catalog.all where !r.group.isEmpty && !seen.contains(r.group) { seen.append(r.group) }
        return seen
    }

    static func group(_ name: String, _ catalog: ResourceCatalog) -> JSONValue? {
        let versions = catalog.versions(ofGroup: name)
        guard let preferred = versions.first else { return nil }
        let gv = { (v: String) -> JSONValue in ["groupVersion": .string("\(name)/\(v)"), "version": .string(v)] }
        return [
            "kind": "APIGroup", "apiVersion": "v1", "name": .string(name), "versions": .array(versions.map(gv)),
            "preferredVersion": gv(preferred),
        ]
    }

    static func groups(_ catalog: ResourceCatalog) -> JSONValue {
        var list: [JSONValue] = []
        for name in groupNames(catalog) {
            var g = group(name, catalog)!
            g["kind"] = nil
            g["apiVersion"] = nil
            list.append(g)
        }
        return ["kind": "APIGroupList", "apiVersion": "v1", "groups": .array(list)]
    }

    static func resourceList(group: String, version: String, _ catalog: ResourceCatalog) -> JSONValue? {
        let resources = catalog.resources(group: group, version: version)
        guard !resources.isEmpty else { return nil }
        var list: [JSONValue] = []
        for r in resources {
            var entry: JSONObject = [
                "name": .string(r.plural), "singularName": .string(r.singular), "namespaced": .bool(r.namespaced),
                "kind": .string(r.kind), "verbs": verbs,
            ]
            if !r.shortNames.isEmpty { entry["shortNames"] = .array(r.shortNames.map { .string($0) }) }
            let categories = catalog.categories(of: r)
            if !categories.isEmpty { entry["categories"] = .array(categories.map { .string($0) }) }
            list.append(.object(entry))
            if r == .deployments || r == .replicaSets {
                list.append([
                    "name": .string("\(r.plural)/scale"), "singularName": "", "namespaced": true,
                    "group": "autoscaling", "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"],
                ])
            }
        }
        return [
            "kind": "APIResourceList", "apiVersion": "v1",
            "groupVersion": .string(group.isEmpty ? version : "\(group)/\(version)"), "resources": .array(list),
        ]
    }

    static let serverVersion: JSONValue = [
        "major": "1", "minor": "32", "gitVersion": "v1.32.0-xdsemu", "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc",
        "platform": "linux/amd64",
    ]
}
