/// The one printer behind every rendering of a ``JSONValue``; the renderers differ only in these
/// choices (see `JSONValue+Go.swift` and `JSONValue+Envoy.swift`).
struct JSONWriter {
    enum KeyOrder {
        /// Object keys as held (Go struct field order, Envoy proto field order).
        case kept
        /// Sorted, as Go prints a map.
        case sorted
    }

    enum Numbers {
        /// Doubles as Go's `encoding/json` prints a float64 (see ``goFloat(_:)``).
        case go
        /// The canonical form's historical rule: integral doubles below 1e15 as integers, others
        /// as Swift prints them. Kept so canonical bytes (and the hashes over them) never change.
        case canonical
    }

    var keyOrder: KeyOrder = .kept
    var numbers: Numbers = .go
    /// `<`, `>`, `&` as `\u003c` …, as Go's `json.Marshal` (`SetEscapeHTML(true)`) does.
    var escapeHTML = true
    /// U+2028 and U+2029 as `\u2028`, `\u2029`, which Go's encoder always does.
    var escapeLineSeparators = true
    /// nil: compact. Otherwise one key or element per line, this string per level, `"key": value`.
    var indent: String?

    func render(_ value: JSONValue) -> String {
        var out = ""
        write(value, to: &out, depth: 0)
        return out
    }

    private func write(_ value: JSONValue, to out: inout String, depth: Int) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .double(let d): out += numbers == .go ? Self.goFloat(d) : Self.canonicalFloat(d)
        case .string(let s): quote(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "["
            for (i, item) in items.enumerated() {
                out += i == 0 ? "" : ","
                newline(&out, depth: depth + 1)
                write(item, to: &out, depth: depth + 1)
            }
            newline(&out, depth: depth)
            out += "]"
        case .object(let object):
            guard !object.isEmpty else {
                out += "{}"
                return
            }
            out += "{"
            let keys = keyOrder == .sorted ? object.keys.sorted() : object.keys
            for (i, key) in keys.enumerated() {
                out += i == 0 ? "" : ","
                newline(&out, depth: depth + 1)
                quote(key, into: &out)
                out += indent == nil ? ":" : ": "
                write(object[key]!, to: &out, depth: depth + 1)
            }
            newline(&out, depth: depth)
            out += "}"
        }
    }

    private func newline(_ out: inout String, depth: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<depth { out += indent }
    }

    private func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20: Self.unicodeEscape(scalar, into: &out)
            case _ where escapeHTML && (scalar == "<" || scalar == ">" || scalar == "&"):
                Self.unicodeEscape(scalar, into: &out)
            case _ where escapeLineSeparators && (scalar == "\u{2028}" || scalar == "\u{2029}"):
                Self.unicodeEscape(scalar, into: &out)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private static func unicodeEscape(_ scalar: Unicode.Scalar, into out: inout String) {
        let hex = String(scalar.value, radix: 16)
        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
    }

    static func canonicalFloat(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return String(d)
    }
}
