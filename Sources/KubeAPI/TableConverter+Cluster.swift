import JSON
import Kubernetes

/// Cells of the kinds every cluster has, as `pkg/printers/internalversion/printers.go@v1.32.0`
/// prints them (`printNode`, `printEndpoints`, `printEndpointSlice`, `printLease`). The server
/// always fills the wide (priority 1) cells; kubectl shows them with `-o wide`.
extension TableConverter {
    func clusterCells(_ o: KubeObject, name: JSONValue, age: JSONValue) -> [JSONValue] {
        switch o.resource {
        case .nodes:
            let conditions = o.status["conditions"]?.arrayValue ?? []
            var status: [String] = []
            if let ready = conditions.first(where: { $0["type"] == "Ready" }) {
                status.append(ready["status"] == "True" ? "Ready" : "NotReady")
            } else {
                status.append("Unknown")
            }
            if o.spec["unschedulable"]?.boolValue == true { status.append("SchedulingDisabled") }
            let roles = Set(
                o.labels.compactMap { key, value -> String? in
                    if key.hasPrefix("node-role.kubernetes.io/") {
                        let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                        return role.isEmpty ? nil : role
                    }
                    return key == "kubernetes.io/role" && !value.isEmpty ? value : nil
                }
            ).sorted()
            let addresses = o.status["addresses"]?.arrayValue ?? []
            func address(_ type: String) -> String {
                addresses.first { $0["type"]?.stringValue == type }?["address"]?.stringValue ?? "<none>"
            }
            func info(_ field: String) -> String {
                let v = o.status[path: ["nodeInfo", field]]?.stringValue ?? ""
                return v.isEmpty ? "<unknown>" : v
            }
            return [
                name, .string(status.joined(separator: ",")), .string(roles.isEmpty ? "<none>" : roles.joined(separator: ",")), age,
                .string(o.status[path: ["nodeInfo", "kubeletVersion"]]?.stringValue ?? ""),
                .string(address("InternalIP")), .string(address("ExternalIP")), .string(info("osImage")),
                .string(info("kernelVersion")), .string(info("containerRuntimeVersion")),
            ]
        case .endpoints:
            return [name, .string(Self.endpointsCell(o.body["subsets"]?.arrayValue ?? [])), age]
        case .endpointSlices:
            let ports = (o.body["ports"]?.arrayValue ?? []).map { p in
                p["port"]?.intValue.map { String($0) } ?? p["name"]?.stringValue ?? "*"
            }
            let addresses = (o.body["endpoints"]?.arrayValue ?? []).flatMap { ($0["addresses"]?.arrayValue ?? []).compactMap(\.stringValue) }
            return [
                name, o.body["addressType"] ?? "", .string(Self.listWithMore(ports)), .string(Self.listWithMore(addresses)), age,
            ]
        case .leases:
            return [name, o.spec["holderIdentity"] ?? "", age]
        default:
            return [name, age]
        }
    }

    /// `formatEndpoints`: the first three ready `ip:port` pairs, then `+ N more...`; `<none>`
    /// without subsets (only unready addresses print as an empty cell).
    static func endpointsCell(_ subsets: [JSONValue]) -> String {
        guard !subsets.isEmpty else { return "<none>" }
        let max = 3
        var list: [String] = []
        var count = 0
        for subset in subsets {
            let ips = (subset["addresses"]?.arrayValue ?? []).compactMap { $0["ip"]?.stringValue }
            let ports = subset["ports"]?.arrayValue ?? []
            let pairs = ports.isEmpty ? ips.map { [$0] } : ports.map { p in ips.map { "\($0):\(p["port"]?.intValue ?? 0)" } }
            for group in pairs {
                count += group.count
                for item in group where list.count < max { list.append(item) }
            }
        }
        let text = list.joined(separator: ",")
        return count > max ? "\(text) + \(count - max) more..." : text
    }

    /// `listWithMoreString`: three items, then `+ N more...`; `<unset>` for none.
    static func listWithMore(_ items: [String]) -> String {
        let max = 3
        let text = items.prefix(max).joined(separator: ",")
        if items.count > max { return "\(text) + \(items.count - max) more..." }
        return text.isEmpty ? "<unset>" : text
    }
}
