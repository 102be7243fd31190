/// Renderings as Go's `encoding/json` writes them: `<`, `>`, `&` escaped as `\u003c` …, control
/// characters as `\u00XX` (or `\n`, `\r`, `\t`), integers as they are.
extension JSONValue {
    /// Compact JSON with keys sorted, as Go's `encoding/json` writes maps: the same value always
    /// gives the same bytes, which the pod-template hash relies on. What the Kubernetes API
    /// facade answers. (Its float and U+2028 rules predate the Go renderers and are kept so these
    /// bytes never change.)
    package var canonicalJSON: String {
        JSONWriter(keyOrder: .sorted, numbers: .canonical, escapeLineSeparators: false).render(self)
    }

    /// Compact JSON in the objects' own key order, as Go's `json.Marshal` writes a struct (fields
    /// in declaration order): how Istio's injector writes the `sidecar.istio.io/status`
    /// annotation and `ISTIO_META_POD_PORTS`.
    package var goJSON: String {
        JSONWriter().render(self)
    }

    /// Go's `json.MarshalIndent(v, "", indent)`: one key or element per line, `"key": value`,
    /// `{}` / `[]` for empty containers, no trailing newline; keys in the objects' own order.
    /// istioctl prints `-o json` this way with four spaces.
    package func goIndentedJSON(indent: String = "    ") -> String {
        JSONWriter(indent: indent).render(self)
    }
}

extension JSONWriter {
    /// Go's float64 encoding (`encoding/json` floatEncoder): the shortest digits that round-trip,
    /// in `%f` form, or `%e` form below 1e-6 or from 1e21, with a one-digit negative exponent
    /// written without its leading zero (`1e-7`, `1e+21`). NaN and infinities, which Go refuses
    /// to encode, print as `null`.
    static func goFloat(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        let (digits, exponent) = shortestDigits(abs(d))
        let sign = d < 0 ? "-" : ""
        let magnitude = abs(d)
        if magnitude < 1e-6 || magnitude >= 1e21 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let e = exponent - 1
            let shown = e < 0 ? "-\(-e)" : e < 10 ? "+0\(e)" : "+\(e)"
            return sign + mantissa + "e" + shown
        }
        // Fixed notation: `exponent` is where the decimal point goes in `digits`.
        if exponent <= 0 { return sign + "0." + String(repeating: "0", count: -exponent) + digits }
        if exponent >= digits.count { return sign + digits + String(repeating: "0", count: exponent - digits.count) }
        let point = digits.index(digits.startIndex, offsetBy: exponent)
        return sign + digits[..<point] + "." + digits[point...]
    }

    /// The shortest round-tripping decimal digits of a positive finite double (Swift's
    /// `description` computes them) and the decimal exponent: value = 0.digits × 10^exponent.
    static func shortestDigits(_ d: Double) -> (digits: String, exponent: Int) {
        let text = d.description
        let mantissa: Substring
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(String(text[text.index(after: e)...].filter { $0 != "+" })) ?? 0
        } else {
            mantissa = text[...]
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let whole = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = whole + fraction
        exponent += whole.count
        while digits.hasPrefix("0") {
            digits.removeFirst()
            exponent -= 1
        }
        while digits.hasSuffix("0") { digits.removeLast() }
        return (digits.isEmpty ? "0" : digits, exponent)
    }
}
