import JSON
/// Field rules the API server checks on the kinds the emulator runs, worded as
/// `pkg/apis/core/validation/validation.go@v1.32.0` (`validateContainerCommon`,
/// `validateContainers`, `validateServicePort`) and `k8s.io/apimachinery/pkg/util/validation`
/// (`IsDNS1123Label`, `IsValidPortNum`, `IsValidPortName`) at v0.32.0 word them. Each returns
/// `<field>: <detail>` causes, in the order the API server appends them.
extension World {
    /// `IsDNS1123Label`.
    static func dns1123LabelErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append("must be no more than 63 characters") }
        if !isLowerAlnumLabel(Substring(value)) {
            let parts = value.split(separator: ".", omittingEmptySubsequences: false)
            errors.append(parts.count > 1 && parts.allSatisfy(isLowerAlnumLabel) ? "must not contain dots" : dns1123Label)
        }
        return errors
    }

    /// `IsValidPortName`: an IANA service name.
    static func portNameErrors(_ name: String) -> [String] {
        var errors: [String] = []
        let lowerOrDigit: (Character) -> Bool = { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }
        if name.utf8.count > 15 { errors.append("must be no more than 15 characters") }
        if name.isEmpty || !name.allSatisfy({ lowerOrDigit($0) || $0 == "-" }) {
            errors.append("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
        }
        if !name.contains(where: { $0 >= "a" && $0 <= "z" }) { errors.append("must contain at least one letter (a-z)") }
        if name.contains("--") { errors.append("must not contain consecutive hyphens") }
        if name.first == "-" || name.last == "-" { errors.append("must not begin or end with a hyphen") }
        return errors
    }

    static func isLowerAlnumLabel(_ s: Substring) -> Bool {
        let alnum: (Character) -> Bool = { ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") }
        guard let f = s.first, let l = s.last else { return false }
        return alnum(f) && alnum(l) && s.allSatisfy { alnum($0) || $0 == "-" }
    }

    /// `ValidateLabels`: each key a qualified name, each value a label value (keys in order; Go's
    /// map order is random).
    static func labelCauses(_ labels: [String: String], field: String) -> [String] {
        labels.sorted { $0.key < $1.key }.flatMap { key, value in
            LabelSyntax.keyErrors(key).map { "\(field): Invalid value: \"\(key)\": \($0)" }
                + LabelSyntax.valueErrors(value).map { "\(field): Invalid value: \"\(value)\": \($0)" }
        }
    }

    /// `ValidateAnnotations`: each key (lowercased) a qualified name.
    static func annotationCauses(_ annotations: [String: String], field: String) -> [String] {
        annotations.keys.sorted().flatMap { key in
            LabelSyntax.keyErrors(key.lowercased()).map { "\(field): Invalid value: \"\(key)\": \($0)" }
        }
    }

    static let portRange = "must be between 1 and 65535, inclusive"
    static let portProtocols = "supported values: \"SCTP\", \"TCP\", \"UDP\""

    /// `validateContainers` over `path` (`spec.containers`, `spec.template.spec.containers`):
    /// at least one; each with a DNS-1123 label name, unique, and an image.
    static func containerCauses(_ containers: JSONValue?, path: String) -> [String] {
        let list = containers?.arrayValue ?? []
        guard !list.isEmpty else { return ["\(path): Required value"] }
        var causes: [String] = []
        var names = Set<String>()
        for (i, container) in list.enumerated() {
            let at = "\(path)[\(i)]"
            let name = container["name"]?.stringValue ?? ""
            if name.isEmpty {
                causes.append("\(at).name: Required value")
            } else {
                causes += dns1123LabelErrors(name).map { "\(at).name: Invalid value: \"\(name)\": \($0)" }
            }
            if (container["image"]?.stringValue ?? "").isEmpty { causes.append("\(at).image: Required value") }
            if !names.insert(name).inserted { causes.append("\(at).name: Duplicate value: \"\(name)\"") }
        }
        return causes
    }

    /// `ValidateService`'s port rules: ports required unless headless; names required when there
    /// are several, DNS-1123 labels and unique; port numbers in range; a known protocol; a
    /// targetPort that is a port number or an IANA port name.
    static func servicePortCauses(_ spec: JSONValue) -> [String] {
        let ports = spec["ports"]?.arrayValue ?? []
        if ports.isEmpty {
            return spec["clusterIP"] == "None" || spec["type"] == "ExternalName" ? [] : ["spec.ports: Required value"]
        }
        var causes: [String] = []
        var names = Set<String>()
        for (i, p) in ports.enumerated() {
            let at = "spec.ports[\(i)]"
            let name = p["name"]?.stringValue ?? ""
            if ports.count > 1, name.isEmpty {
                causes.append("\(at).name: Required value")
            } else if !name.isEmpty {
                causes += dns1123LabelErrors(name).map { "\(at).name: Invalid value: \"\(name)\": \($0)" }
                if !names.insert(name).inserted { causes.append("\(at).name: Duplicate value: \"\(name)\"") }
            }
            let port = p["port"]?.intValue ?? 0
            if !(1...65535).contains(port) { causes.append("\(at).port: Invalid value: \(port): \(portRange)") }
            let proto = p["protocol"]?.stringValue ?? ""
            if proto.isEmpty {
                causes.append("\(at).protocol: Required value")
            } else if !["TCP", "UDP", "SCTP"].contains(proto) {
                causes.append("\(at).protocol: Unsupported value: \"\(proto)\": \(portProtocols)")
            }
            switch p["targetPort"] {
            case .int(let n)? where !(1...65535).contains(n):
                causes.append("\(at).targetPort: Invalid value: \(n): \(portRange)")
            case .string(let s)?:
                causes += portNameErrors(s).map { "\(at).targetPort: Invalid value: \"\(s)\": \($0)" }
            default:
                break
            }
        }
        return causes
    }

    /// How `field.Invalid` prints a `*metav1.LabelSelector` (Go's `%#v`), for the empty-selector cause.
    static func goSyntax(selector: JSONValue) -> String {
        let labels = selector["matchLabels"]?.objectValue.map { $0.isEmpty ? "map[string]string{}" : "map[string]string{…}" }
            ?? "map[string]string(nil)"
        let expressions = selector["matchExpressions"]?.arrayValue.map { $0.isEmpty ? "[]v1.LabelSelectorRequirement{}" : "[]v1.LabelSelectorRequirement{…}" }
            ?? "[]v1.LabelSelectorRequirement(nil)"
        return "v1.LabelSelector{MatchLabels:\(labels), MatchExpressions:\(expressions)}"
    }
}
