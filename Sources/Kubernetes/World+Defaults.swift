import JSON
/// What the API server fills in and what it refuses, per kind: enough that `kubectl get -o yaml`
/// looks familiar and that the usual mistakes give the usual 422.
extension World {
    mutating func applyDefaults(_ obj: inout KubeObject, previous: KubeObject?) {
        switch obj.resource {
        case .customResourceDefinitions:
            defaultCustomResourceDefinition(&obj, previous: previous)
        case .namespaces:
            obj.spec = ["finalizers": ["kubernetes"]]
            if obj.body["status"] == nil { obj.status = ["phase": "Active"] }
            if config.labelsNamespaceName { obj.metadata.labels["kubernetes.io/metadata.name"] = obj.name }
        case .pods:
            obj.spec = Self.defaultedPodSpec(obj.spec)
            if obj.body["status"] == nil { obj.status = ["phase": "Pending", "qosClass": "BestEffort"] }
        case .deployments:
            var spec = obj.spec.objectValue ?? [:]
            if spec["replicas"] == nil { spec["replicas"] = 1 }
            if spec["strategy"] == nil {
                spec["strategy"] = ["type": "RollingUpdate", "rollingUpdate": ["maxSurge": "25%", "maxUnavailable": "25%"]]
            }
            if spec["revisionHistoryLimit"] == nil { spec["revisionHistoryLimit"] = 10 }
            if spec["progressDeadlineSeconds"] == nil { spec["progressDeadlineSeconds"] = 600 }
            if var template = spec["template"], case .object = template {
                template["spec"] = Self.defaultedPodSpec(template["spec"] ?? .object([:]))
                spec["template"] = template
            }
            obj.spec = .object(spec)
            if obj.body["status"] == nil { obj.status = .object([:]) }
        case .replicaSets:
            var spec = obj.spec.objectValue ?? [:]
            if spec["replicas"] == nil { spec["replicas"] = 1 }
            obj.spec = .object(spec)
            if obj.body["status"] == nil { obj.status = ["replicas": 0] }
        case .services:
            var spec = obj.spec.objectValue ?? [:]
            if spec["type"] == nil { spec["type"] = "ClusterIP" }
            if spec["sessionAffinity"] == nil { spec["sessionAffinity"] = "None" }
            if spec["clusterIP"] == nil, let previousIP = previous?.spec["clusterIP"] { spec["clusterIP"] = previousIP }
            if spec["clusterIP"] == nil || spec["clusterIP"] == "" { spec["clusterIP"] = .string(allocateServiceIP()) }
            spec["clusterIPs"] = [spec["clusterIP"]!]
            if spec["ipFamilies"] == nil { spec["ipFamilies"] = ["IPv4"] }
            if spec["ipFamilyPolicy"] == nil { spec["ipFamilyPolicy"] = "SingleStack" }
            if spec["internalTrafficPolicy"] == nil { spec["internalTrafficPolicy"] = "Cluster" }
            if let ports = spec["ports"]?.arrayValue {
                spec["ports"] = .array(
                    ports.map { p in
                        var p = p
                        if p["protocol"] == nil { p["protocol"] = "TCP" }
                        if p["targetPort"] == nil, let port = p["port"] { p["targetPort"] = port }
                        return p
                    })
            }
            obj.spec = .object(spec)
            if obj.body["status"] == nil { obj.status = ["loadBalancer": .object([:])] }
        default:
            break
        }
    }

    static func defaultedPodSpec(_ spec: JSONValue) -> JSONValue {
        var s = spec.objectValue ?? [:]
        if s["restartPolicy"] == nil { s["restartPolicy"] = "Always" }
        if s["terminationGracePeriodSeconds"] == nil { s["terminationGracePeriodSeconds"] = 30 }
        if s["dnsPolicy"] == nil { s["dnsPolicy"] = "ClusterFirst" }
        if s["schedulerName"] == nil { s["schedulerName"] = "default-scheduler" }
        if s["securityContext"] == nil { s["securityContext"] = .object([:]) }
        if s["serviceAccountName"] == nil { s["serviceAccountName"] = "default" }
        for field in ["containers", "initContainers"] {
            guard let list = s[field]?.arrayValue else { continue }
            s[field] = .array(
                list.map { c in
                    var c = c
                    guard case .object = c else { return c }
                    if c["imagePullPolicy"] == nil {
                        let image = c["image"]?.stringValue ?? ""
                        let tagged = image.split(separator: "/").last?.contains(":") ?? false
                        c["imagePullPolicy"] = .string(!tagged || image.hasSuffix(":latest") ? "Always" : "IfNotPresent")
                    }
                    if c["terminationMessagePath"] == nil { c["terminationMessagePath"] = "/dev/termination-log" }
                    if c["terminationMessagePolicy"] == nil { c["terminationMessagePolicy"] = "File" }
                    if c["resources"] == nil { c["resources"] = .object([:]) }
                    if let ports = c["ports"]?.arrayValue {
                        c["ports"] = .array(
                            ports.map { p in
                                var p = p
                                if p["protocol"] == nil { p["protocol"] = "TCP" }
                                return p
                            })
                    }
                    return c
                })
        }
        return .object(s)
    }

    mutating func allocateServiceIP() -> String {
        let used = Set(index.keys(.services).compactMap { objects[$0]?.spec["clusterIP"]?.stringValue })
        let range = config.serviceCIDR
        // Random like the real allocator; offset 1 stays free for the `kubernetes` service.
        for _ in 0..<1000 {
            let offset = UInt32(2 + meta.rng.next() % UInt64(range.size - 3))
            let ip = range.address(at: offset)
            if !used.contains(ip) { return ip }
        }
        return range.address(at: range.size - 2)
    }

    // MARK: Validation

    static let dns1123Subdomain =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    static let dns1123Label =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
    static let dns1035Label =
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"

    static func validateName(_ obj: KubeObject) throws(WorldError) {
        let name = obj.name
        let lowerAlnum: (Character) -> Bool = { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }
        func isLabel(_ s: Substring) -> Bool {
            guard let f = s.first, let l = s.last, s.count <= 63 else { return false }
            return lowerAlnum(f) && lowerAlnum(l) && s.allSatisfy { lowerAlnum($0) || $0 == "-" }
        }
        switch obj.resource {
        case .namespaces:
            if !isLabel(Substring(name)) {
                throw .invalid(obj.resource, name, ["metadata.name: Invalid value: \"\(name)\": \(dns1123Label)"])
            }
        case .services:
            if !isLabel(Substring(name)) || !(name.first.map { $0 >= "a" && $0 <= "z" } ?? false) {
                throw .invalid(obj.resource, name, ["metadata.name: Invalid value: \"\(name)\": \(dns1035Label)"])
            }
        default:
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            if name.count > 253 || !parts.allSatisfy(isLabel) {
                throw .invalid(obj.resource, name, ["metadata.name: Invalid value: \"\(name)\": \(dns1123Subdomain)"])
            }
        }
    }

    /// The most pods one Deployment or ReplicaSet may ask for: every pod is emulated (an object,
    /// its phases, a proxy), so a replicas value no machine could serve is refused up front rather
    /// than allocated (docs/emulated-cluster.md).
    package static let maxReplicas: Int64 = 10_000

    static func validate(_ obj: KubeObject) throws(WorldError) {
        var causes = labelCauses(obj.labels, field: "metadata.labels")
        causes += annotationCauses(obj.metadata.annotations, field: "metadata.annotations")
        switch obj.resource {
        case .deployments, .replicaSets:
            let spec = obj.spec
            if let r = spec["replicas"], r.intValue == nil {
                causes.append("spec.replicas: Invalid value: \"\(jsonTypeName(r))\": spec.replicas in body must be of type integer: \"\(jsonTypeName(r))\"")
            } else if let r = spec["replicas"]?.intValue, !(Int64(Int32.min)...Int64(Int32.max)).contains(r) {
                // The API server's decoder refuses what does not fit the Go field (int32).
                throw .badRequest(
                    "json: cannot unmarshal number \(r) into Go struct field \(obj.resource.kind)Spec.spec.replicas of type int32")
            } else if let r = spec["replicas"]?.intValue, r < 0 {
                causes.append("spec.replicas: Invalid value: \(r): must be greater than or equal to 0")
            } else if let r = spec["replicas"]?.intValue, r > maxReplicas {
                causes.append("spec.replicas: Invalid value: \(r): must be less than or equal to \(maxReplicas) (the emulator's limit per workload)")
            }
            let templateLabels = spec[path: ["template", "metadata", "labels"]]?.stringMap ?? [:]
            let shown = templateLabels.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ", ")
            let goMap = spec[path: ["template", "metadata", "labels"]] == nil ? "map[string]string(nil)" : "map[string]string{\(shown)}"
            let mismatch = "spec.template.metadata.labels: Invalid value: \(goMap): `selector` does not match template `labels`"
            if let selectorJSON = spec["selector"], selectorJSON != .null {
                if let selector = try? LabelSelector(json: selectorJSON), !selector.requirements.isEmpty {
                    if !selector.matches(templateLabels) { causes.append(mismatch) }
                } else {
                    causes.append("spec.selector: Invalid value: \(goSyntax(selector: selectorJSON)): empty selector is invalid for deployment")
                }
            } else {
                causes.append("spec.selector: Required value")
                // A missing selector converts to one that matches nothing, so the template check fails too.
                causes.append(mismatch)
            }
            causes += labelCauses(templateLabels, field: "spec.template.metadata.labels")
            causes += annotationCauses(
                spec[path: ["template", "metadata", "annotations"]]?.stringMap ?? [:], field: "spec.template.metadata.annotations")
            causes += containerCauses(spec[path: ["template", "spec", "containers"]], path: "spec.template.spec.containers")
        case .customResourceDefinitions:
            causes += customResourceDefinitionCauses(obj)
        case .pods:
            causes += containerCauses(obj.spec["containers"], path: "spec.containers")
        case .services:
            causes += servicePortCauses(obj.spec)
        default:
            break
        }
        if !causes.isEmpty { throw .invalid(obj.resource, obj.name, causes) }
    }

}
