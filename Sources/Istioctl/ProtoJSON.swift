/// A JSON document that keeps its objects' key order, for re-printing Envoy admin output the way
/// istioctl does: Envoy answers protobuf JSON with snake_case names in proto field order; istioctl
/// unmarshals it into Go protos and marshals it again with jsonpb (lowerCamelCase names, same
/// order) and re-indents with `json.MarshalIndent(…, "", "    ")` (docs/istio-facts.md §2.1).
indirect enum ProtoJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number exactly as written (jsonpb passes numbers through unchanged).
    case number(String)
    case string(String)
    case array([ProtoJSON])
    case object([(String, ProtoJSON)])

    static func == (a: ProtoJSON, b: ProtoJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): true
        case (.bool(let x), .bool(let y)): x == y
        case (.number(let x), .number(let y)): x == y
        case (.string(let x), .string(let y)): x == y
        case (.array(let x), .array(let y)): x == y
        case (.object(let x), .object(let y)): x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: false
        }
    }

    subscript(key: String) -> ProtoJSON? {
        guard case .object(let fields) = self else { return nil }
        return fields.first { $0.0 == key }?.1
    }

    var string: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    var int: Int? {
        switch self {
        case .number(let n): Int(n)
        case .string(let s): Int(s)
        default: nil
        }
    }

    var array: [ProtoJSON] {
        if case .array(let a) = self { return a }
        return []
    }

    // MARK: Renaming

    /// Fields holding `Struct`s (a node's `metadata`) or maps of them (`filter_metadata`): all data,
    /// printed by jsonpb exactly as held.
    static let structFields: Set<String> = ["metadata", "filter_metadata"]
    /// Maps of messages: keys are data, values are messages.
    static let messageMaps: Set<String> = ["typed_filter_metadata", "typed_extension_protocol_options"]

    /// Proto names (`host_statuses`) as jsonpb prints them (`hostStatuses`); map keys and
    /// `Struct` contents untouched.
    func camelCased() -> ProtoJSON {
        switch self {
        case .array(let items): return .array(items.map { $0.camelCased() })
        case .object(let fields):
            return .object(
                fields.map { key, value in
                    let renamed = Self.lowerCamel(key)
                    guard case .object(let entries) = value else { return (renamed, value.camelCased()) }
                    if Self.structFields.contains(key), !Self.isMetadataMessage(key, entries) { return (renamed, value) }
                    if Self.messageMaps.contains(key) { return (renamed, .object(entries.map { ($0.0, $0.1.camelCased()) })) }
                    return (renamed, value.camelCased())
                })
        default: return self
        }
    }

    /// A cluster's `metadata` is a `core.Metadata` message (`filter_metadata`, …), a node's a `Struct`.
    static func isMetadataMessage(_ key: String, _ entries: [(String, ProtoJSON)]) -> Bool {
        key == "metadata" && !entries.isEmpty
            && entries.allSatisfy { ["filter_metadata", "typed_filter_metadata"].contains($0.0) }
    }

    /// `host_statuses` → `hostStatuses` (protoc's json_name rule); `@type` and names without `_` stay.
    static func lowerCamel(_ name: String) -> String {
        guard name.contains("_"), !name.hasPrefix("@") else { return name }
        var out = ""
        var upper = false
        for c in name {
            if c == "_" {
                upper = true
            } else {
                out += upper ? c.uppercased() : String(c)
                upper = false
            }
        }
        return out
    }

    /// The object without `keys`.
    func removing(_ keys: Set<String>) -> ProtoJSON {
        guard case .object(let fields) = self else { return self }
        return .object(fields.filter { !keys.contains($0.0) })
    }

    // MARK: Printing

    /// Go's `json.MarshalIndent(v, "", indent)`: one key or element per line, `"key": value`,
    /// `{}` / `[]` for empty containers, no trailing newline.
    func indented(_ indent: String = "    ") -> String {
        var out = ""
        write(&out, indent: indent, depth: 0)
        return out
    }

    private func write(_ out: inout String, indent: String, depth: Int) {
        let pad = String(repeating: indent, count: depth + 1)
        let closing = String(repeating: indent, count: depth)
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n
        case .string(let s): out += Self.quoted(s)
        case .array(let items):
            guard !items.isEmpty else {
                out += "[]"
                return
            }
            out += "[\n"
            for (i, item) in items.enumerated() {
                out += pad
                item.write(&out, indent: indent, depth: depth + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += closing + "]"
        case .object(let fields):
            guard !fields.isEmpty else {
                out += "{}"
                return
            }
            out += "{\n"
            for (i, (key, value)) in fields.enumerated() {
                out += pad + Self.quoted(key) + ": "
                value.write(&out, indent: indent, depth: depth + 1)
                out += i == fields.count - 1 ? "\n" : ",\n"
            }
            out += closing + "}"
        }
    }

    /// Go's encoding/json string escaping (including `<`, `>`, `&` as `\u003c` …).
    static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension ProtoJSON {
    struct ParseError: Error, CustomStringConvertible {
        var description: String
    }

    /// Parses JSON text, keeping key order and numbers as written.
    static func parse(_ text: String) throws(ParseError) -> ProtoJSON {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipSpace()
        guard parser.at == parser.bytes.count else { throw ParseError(description: "trailing data at \(parser.at)") }
        return value
    }

    private struct Parser {
        let bytes: [UInt8]
        var at = 0

        mutating func skipSpace() {
            while at < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[at]) { at += 1 }
        }

        mutating func expect(_ literal: String) throws(ParseError) {
            let l = Array(literal.utf8)
            guard at + l.count <= bytes.count, Array(bytes[at..<at + l.count]) == l else {
                throw ParseError(description: "expected \(literal) at \(at)")
            }
            at += l.count
        }

        mutating func value() throws(ParseError) -> ProtoJSON {
            skipSpace()
            guard at < bytes.count else { throw ParseError(description: "unexpected end") }
            switch bytes[at] {
            case UInt8(ascii: "{"):
                at += 1
                var fields: [(String, ProtoJSON)] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                    at += 1
                    return .object(fields)
                }
                while true {
                    skipSpace()
                    let key = try string()
                    skipSpace()
                    try expect(":")
                    fields.append((key, try value()))
                    skipSpace()
                    guard at < bytes.count else { throw ParseError(description: "unterminated object") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    try expect("}")
                    return .object(fields)
                }
            case UInt8(ascii: "["):
                at += 1
                var items: [ProtoJSON] = []
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                    at += 1
                    return .array(items)
                }
                while true {
                    items.append(try value())
                    skipSpace()
                    guard at < bytes.count else { throw ParseError(description: "unterminated array") }
                    if bytes[at] == UInt8(ascii: ",") { at += 1; continue }
                    try expect("]")
                    return .array(items)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default:
                let start = at
                while at < bytes.count, "+-0123456789.eE".utf8.contains(bytes[at]) { at += 1 }
                guard at > start else { throw ParseError(description: "unexpected character at \(at)") }
                return .number(String(decoding: bytes[start..<at], as: UTF8.self))
            }
        }

        mutating func string() throws(ParseError) -> String {
            try expect("\"")
            var scalars = String.UnicodeScalarView()
            var raw: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: raw, as: UTF8.self).unicodeScalars)
                raw.removeAll()
            }
            while at < bytes.count {
                let b = bytes[at]
                at += 1
                if b == UInt8(ascii: "\"") {
                    flush()
                    return String(scalars)
                }
                guard b == UInt8(ascii: "\\") else {
                    raw.append(b)
                    continue
                }
                guard at < bytes.count else { break }
                let e = bytes[at]
                at += 1
                switch e {
                case UInt8(ascii: "n"): raw.append(0x0A)
                case UInt8(ascii: "t"): raw.append(0x09)
                case UInt8(ascii: "r"): raw.append(0x0D)
                case UInt8(ascii: "b"): raw.append(0x08)
                case UInt8(ascii: "f"): raw.append(0x0C)
                case UInt8(ascii: "u"):
                    guard at + 4 <= bytes.count, let v = UInt32(String(decoding: bytes[at..<at + 4], as: UTF8.self), radix: 16)
                    else { throw ParseError(description: "bad \\u escape at \(at)") }
                    at += 4
                    flush()
                    // Surrogate pairs are joined; a lone one becomes U+FFFD.
                    if (0xD800..<0xDC00).contains(v), at + 6 <= bytes.count, bytes[at] == UInt8(ascii: "\\"),
                        bytes[at + 1] == UInt8(ascii: "u"),
                        let low = UInt32(String(decoding: bytes[at + 2..<at + 6], as: UTF8.self), radix: 16),
                        (0xDC00..<0xE000).contains(low)
                    {
                        at += 6
                        scalars.append(Unicode.Scalar(0x10000 + ((v - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}")
                    } else {
                        scalars.append(Unicode.Scalar(v) ?? "\u{FFFD}")
                    }
                default: raw.append(e)
                }
            }
            throw ParseError(description: "unterminated string")
        }
    }
}
