import Foundation
import JSON
import Kubernetes
import KubeRuntime

/// Server-side printing (`Accept: application/json;as=Table;v=v1;g=meta.k8s.io`): the columns and
/// cells Kubernetes' own printers (`pkg/printers/internalversion/printers.go`) produce, so
/// `kubectl get` shows the usual columns. kubectl adds NAMESPACE (for `-A`) and LABELS
/// (`--show-labels`) itself from each row's object metadata.
struct TableConverter {
    struct Column {
        var name: String
        var type: String
        var format: String = ""
        var priority: Int = 0
        var description: String = ""

        var json: JSONValue {
            [
                "name": .string(name), "type": .string(type), "format": .string(format),
                "description": .string(description), "priority": .int(Int64(priority)),
            ]
        }
    }

    var now: Timestamp
    /// A custom resource's printer columns (after Name), from its CRD.
    var customColumns: [CustomResourceDefinition.PrinterColumn]? = nil

    /// The columns of each kind, as Kubernetes' printers declare them (`printer-columns.json`
    /// beside this file: name, type, format, priority and the OpenAPI field description); `*` is
    /// what a kind without printers gets (Name, Age).
    static let columnsByKind: [String: [Column]] = {
        guard let url = Bundle.module.url(forResource: "printer-columns", withExtension: "json"),
            let text = try? String(contentsOf: url, encoding: .utf8), let doc = try? JSONValue(parsing: text),
            let kinds = doc.objectValue
        else { preconditionFailure("printer-columns.json is missing from the KubeAPI bundle") }
        var table: [String: [Column]] = [:]
        for (kind, columns) in kinds {
            table[kind] = (columns.arrayValue ?? []).map { c in
                Column(
                    name: c["name"]?.stringValue ?? "", type: c["type"]?.stringValue ?? "",
                    format: c["format"]?.stringValue ?? "", priority: Int(c["priority"]?.intValue ?? 0),
                    description: c["description"]?.stringValue ?? "")
            }
        }
        return table
    }()

    static func columns(for r: ResourceType) -> [Column] {
        columnsByKind[r.qualifiedName] ?? columnsByKind["*"] ?? []
    }

    func cells(_ o: KubeObject) -> [JSONValue] {
        if let custom = customCells(o) { return custom }
        let age = JSONValue.string(o.metadata.creationTimestamp.age(at: now))
        let name = JSONValue.string(o.name)
        switch o.resource {
        case .pods:
            let p = Self.podColumns(o)
            let ip = o.status["podIP"]?.stringValue ?? "<none>"
            let node = o.spec["nodeName"]?.stringValue ?? "<none>"
            return [name, .string(p.ready), .string(p.status), .int(p.restarts), age, .string(ip), .string(node), "<none>", "<none>"]
        case .namespaces:
            return [name, o.status["phase"] ?? "Active", age]
        case .deployments:
            let desired = o.spec["replicas"]?.intValue ?? 1
            let ready = o.status["readyReplicas"]?.intValue ?? 0
            let (containers, images) = Self.containersAndImages(o.spec[path: ["template", "spec"]])
            return [
                name, .string("\(ready)/\(desired)"), .int(o.status["updatedReplicas"]?.intValue ?? 0),
                .int(o.status["availableReplicas"]?.intValue ?? 0), age, .string(containers), .string(images),
                .string(Self.selectorString(o.spec["selector"])),
            ]
        case .replicaSets:
            let (containers, images) = Self.containersAndImages(o.spec[path: ["template", "spec"]])
            return [
                name, .int(o.spec["replicas"]?.intValue ?? 0), .int(o.status["replicas"]?.intValue ?? 0),
                .int(o.status["readyReplicas"]?.intValue ?? 0), age, .string(containers), .string(images),
                .string(Self.selectorString(o.spec["selector"])),
            ]
        case .services:
            let type = o.spec["type"]?.stringValue ?? "ClusterIP"
            let clusterIP = o.spec["clusterIP"]?.stringValue ?? "<none>"
            var external = (o.spec["externalIPs"]?.arrayValue ?? []).compactMap(\.stringValue)
            if type == "LoadBalancer" {
                external += (o.status[path: ["loadBalancer", "ingress"]]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue ?? $0["hostname"]?.stringValue }
                if external.isEmpty { external = ["<pending>"] }
            }
            let ports = (o.spec["ports"]?.arrayValue ?? []).map { p -> String in
                let port = p["port"]?.intValue ?? 0
                let proto = p["protocol"]?.stringValue ?? "TCP"
                if let node = p["nodePort"]?.intValue { return "\(port):\(node)/\(proto)" }
                return "\(port)/\(proto)"
            }
            let selector = (o.spec["selector"]?.stringMap ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return [
                name, .string(type), .string(clusterIP), .string(external.isEmpty ? "<none>" : external.joined(separator: ",")),
                .string(ports.isEmpty ? "<none>" : ports.joined(separator: ",")), age,
                .string(selector.isEmpty ? "<none>" : selector.joined(separator: ",")),
            ]
        case .mutatingWebhookConfigurations, .validatingWebhookConfigurations:
            return [name, .int(Int64(o.body["webhooks"]?.arrayValue?.count ?? 0)), age]
        case .configMaps:
            let count = (o.body["data"]?.objectValue?.count ?? 0) + (o.body["binaryData"]?.objectValue?.count ?? 0)
            return [name, .int(Int64(count)), age]
        case .serviceAccounts:
            return [name, .int(Int64(o.body["secrets"]?.arrayValue?.count ?? 0)), age]
        case .secrets:
            return [name, o.body["type"] ?? "Opaque", .int(Int64(o.body["data"]?.objectValue?.count ?? 0)), age]
        case .events:
            return eventCells(o)
        case .nodes, .endpoints, .endpointSlices, .leases:
            return clusterCells(o, name: name, age: age)
        default:
            return [name, age]
        }
    }

    /// `printPod`'s READY, STATUS and RESTARTS, from the status fields the kubelet writes.
    static func podColumns(_ pod: KubeObject) -> (ready: String, status: String, restarts: Int64) {
        let status = pod.status
        let total = pod.spec["containers"]?.arrayValue?.count ?? 0
        var reason = status["reason"]?.stringValue ?? status["phase"]?.stringValue ?? "Pending"
        var restarts: Int64 = 0
        var readyCount = 0
        let initStatuses = status["initContainerStatuses"]?.arrayValue ?? []
        let initCount = pod.spec["initContainers"]?.arrayValue?.count ?? 0
        var initializing = false
        for (i, c) in initStatuses.enumerated() {
            restarts += c["restartCount"]?.intValue ?? 0
            let state = c["state"] ?? .object([:])
            if let t = state["terminated"], t["exitCode"]?.intValue == 0 { continue }
            if let t = state["terminated"] {
                if let r = t["reason"]?.stringValue, !r.isEmpty {
                    reason = "Init:" + r
                } else if let sig = t["signal"]?.intValue, sig != 0 {
                    reason = "Init:Signal:\(sig)"
                } else {
                    reason = "Init:ExitCode:\(t["exitCode"]?.intValue ?? 0)"
                }
            } else if let w = state["waiting"], let r = w["reason"]?.stringValue, !r.isEmpty, r != "PodInitializing" {
                reason = "Init:" + r
            } else {
                reason = "Init:\(i)/\(initCount)"
            }
            initializing = true
            break
        }
        if !initializing {
            restarts = 0
            var hasRunning = false
            for c in (status["containerStatuses"]?.arrayValue ?? []).reversed() {
                restarts += c["restartCount"]?.intValue ?? 0
                let state = c["state"] ?? .object([:])
                if let r = state["waiting"]?["reason"]?.stringValue, !r.isEmpty {
                    reason = r
                } else if let t = state["terminated"], let r = t["reason"]?.stringValue, !r.isEmpty {
                    reason = r
                } else if let t = state["terminated"] {
                    if let sig = t["signal"]?.intValue, sig != 0 {
                        reason = "Signal:\(sig)"
                    } else {
                        reason = "ExitCode:\(t["exitCode"]?.intValue ?? 0)"
                    }
                } else if c["ready"]?.boolValue == true, state["running"] != nil {
                    hasRunning = true
                    readyCount += 1
                }
            }
            if reason == "Completed", hasRunning { reason = "Running" }
        }
        if pod.isTerminating { reason = "Terminating" }
        return ("\(readyCount)/\(total)", reason, restarts)
    }

    static func containersAndImages(_ podSpec: JSONValue?) -> (String, String) {
        let containers = podSpec?["containers"]?.arrayValue ?? []
        return (
            containers.compactMap { $0["name"]?.stringValue }.joined(separator: ","),
            containers.compactMap { $0["image"]?.stringValue }.joined(separator: ",")
        )
    }

    static func selectorString(_ selector: JSONValue?) -> String {
        guard let selector else { return "<none>" }
        var parts = (selector["matchLabels"]?.stringMap ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        for e in selector["matchExpressions"]?.arrayValue ?? [] {
            let key = e["key"]?.stringValue ?? ""
            let values = (e["values"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
            switch e["operator"]?.stringValue {
            case "In": parts.append("\(key) in (\(values))")
            case "NotIn": parts.append("\(key) notin (\(values))")
            case "Exists": parts.append(key)
            case "DoesNotExist": parts.append("!\(key)")
            default: break
            }
        }
        return parts.isEmpty ? "<none>" : parts.joined(separator: ",")
    }

    enum IncludeObject: String { case none = "None", metadata = "Metadata", object = "Object" }

    func row(_ o: KubeObject, include: IncludeObject) -> JSONValue {
        var row: JSONObject = ["cells": .array(cells(o))]
        switch include {
        case .none: break
        case .object: row["object"] = o.json
        case .metadata:
            row["object"] = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": o.metadata.json]
        }
        return .object(row)
    }

    func table(_ resource: ResourceType, _ objects: [KubeObject], resourceVersion: UInt64, include: IncludeObject, headers: Bool = true)
        -> JSONValue
    {
        [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1",
            "metadata": ["resourceVersion": .string(String(resourceVersion))],
            "columnDefinitions": headers ? .array(columnDefinitions(for: resource).map(\.json)) : .null,
            "rows": .array(objects.map { row($0, include: include) }),
        ]
    }
}
