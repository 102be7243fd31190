/// The API server's syntax rules for label keys and values (apimachinery's
/// `pkg/util/validation`: `IsQualifiedName`, `IsValidLabelValue`), with its messages, so a bad
/// label or selector is refused in the words kubectl users know.
package enum LabelSyntax {
    static let qualifiedNameRegex = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
    static let qualifiedNameRule =
        "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '\(qualifiedNameRegex)')"
    static let labelValueRule =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(\(qualifiedNameRegex))?')"
    static let subdomainRule =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"

    /// What is wrong with a label key (`[prefix/]name`), or nothing.
    package static func keyErrors(_ key: String) -> [String] {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else {
            return ["a qualified name \(qualifiedNameRule) with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"]
        }
        var errors: [String] = []
        if parts.count == 2 {
            let prefix = parts[0]
            if prefix.isEmpty {
                errors.append("prefix part must be non-empty")
            } else {
                if prefix.utf8.count > 253 { errors.append("prefix part must be no more than 253 characters") }
                if !isSubdomain(prefix) { errors.append("prefix part \(subdomainRule)") }
            }
        }
        let name = parts[parts.count - 1]
        if name.isEmpty {
            errors.append("name part must be non-empty")
        } else if name.utf8.count > 63 {
            errors.append("name part must be no more than 63 characters")
        }
        if !isQualifiedName(name) { errors.append("name part \(qualifiedNameRule)") }
        return errors
    }

    /// What is wrong with a label value, or nothing (the empty value is valid).
    package static func valueErrors(_ value: String) -> [String] {
        var errors: [String] = []
        if value.utf8.count > 63 { errors.append("must be no more than 63 characters") }
        if !value.isEmpty, !isQualifiedName(Substring(value)) { errors.append(labelValueRule) }
        return errors
    }

    static func isQualifiedName(_ s: Substring) -> Bool {
        guard let first = s.utf8.first, let last = s.utf8.last, isAlnum(first), isAlnum(last) else { return false }
        return s.utf8.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    static func isSubdomain(_ s: Substring) -> Bool {
        s.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let lower = { (c: UInt8) in (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) }
            guard let first = label.utf8.first, let last = label.utf8.last, lower(first), lower(last) else { return false }
            return label.utf8.allSatisfy { lower($0) || $0 == UInt8(ascii: "-") }
        }
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }
}
