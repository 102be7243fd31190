/// Why a text is not JSON, and where: `offset` counts UTF-8 bytes from the start.
package struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    package var offset: Int
    package var reason: String

    package init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    package var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

extension JSONValue {
    /// Objects deeper than this are refused rather than recursed into (Go's decoder stops at
    /// 10000; nothing the emulator reads comes near 512).
    package static let maxParseDepth = 512

    /// Parses JSON text (RFC 8259, whole input, surrounding whitespace allowed), keeping key
    /// order. A number without fraction or exponent that fits an Int64 is `.int`; any other
    /// number is `.double`, unless it is an integral value within ±2^53, which is `.int` too —
    /// as the `Codable` decoding reads numbers, so both give equal values.
    package init(parsing text: String) throws(JSONParseError) {
        try self.init(parsing: Array(text.utf8))
    }

    package init(parsing bytes: [UInt8]) throws(JSONParseError) {
        var parser = JSONParser(bytes: bytes)
        self = try parser.document()
    }
}

/// A recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    let bytes: [UInt8]
    var at = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(JSONParseError) -> JSONValue {
        let value = try self.value()
        skipSpace()
        guard at == bytes.count else { throw fail("unexpected data after the value") }
        return value
    }

    private func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: at, reason: reason) }

    private var peek: UInt8? { at < bytes.count ? bytes[at] : nil }

    private mutating func skipSpace() {
        while let b = peek, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { at += 1 }
    }

    private mutating func expect(_ byte: UInt8) throws(JSONParseError) {
        guard peek == byte else {
            throw fail(peek == nil ? "unexpected end, expected '\(Character(Unicode.Scalar(byte)))'"
                : "expected '\(Character(Unicode.Scalar(byte)))'")
        }
        at += 1
    }

    private mutating func literal(_ word: String, _ value: JSONValue) throws(JSONParseError) -> JSONValue {
        for b in word.utf8 {
            guard peek == b else { throw fail("invalid literal, expected \(word)") }
            at += 1
        }
        return value
    }

    private mutating func value() throws(JSONParseError) -> JSONValue {
        skipSpace()
        guard let b = peek else { throw fail("unexpected end of input") }
        switch b {
        case UInt8(ascii: "{"): return try nested { (p: inout JSONParser) throws(JSONParseError) in try p.object() }
        case UInt8(ascii: "["): return try nested { (p: inout JSONParser) throws(JSONParseError) in try p.array() }
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail("unexpected character '\(Character(Unicode.Scalar(b)))'")
        }
    }

    private mutating func nested(
        _ body: (inout JSONParser) throws(JSONParseError) -> JSONValue
    ) throws(JSONParseError) -> JSONValue {
        guard depth < JSONValue.maxParseDepth else { throw fail("nesting deeper than \(JSONValue.maxParseDepth)") }
        depth += 1
        defer { depth -= 1 }
        return try body(&self)
    }

    private mutating func object() throws(JSONParseError) -> JSONValue {
        at += 1
        var object = JSONObject()
        skipSpace()
        if peek == UInt8(ascii: "}") {
            at += 1
            return .object(object)
        }
        while true {
            skipSpace()
            guard peek == UInt8(ascii: "\"") else { throw fail("expected a string key") }
            let key = try string()
            skipSpace()
            try expect(UInt8(ascii: ":"))
            object[key] = try value()
            skipSpace()
            if peek == UInt8(ascii: ",") {
                at += 1
                continue
            }
            guard peek == UInt8(ascii: "}") else { throw fail(peek == nil ? "unterminated object" : "expected ',' or '}'") }
            at += 1
            return .object(object)
        }
    }

    private mutating func array() throws(JSONParseError) -> JSONValue {
        at += 1
        var items: [JSONValue] = []
        skipSpace()
        if peek == UInt8(ascii: "]") {
            at += 1
            return .array(items)
        }
        while true {
            items.append(try value())
            skipSpace()
            if peek == UInt8(ascii: ",") {
                at += 1
                continue
            }
            guard peek == UInt8(ascii: "]") else { throw fail(peek == nil ? "unterminated array" : "expected ',' or ']'") }
            at += 1
            return .array(items)
        }
    }

    private mutating func number() throws(JSONParseError) -> JSONValue {
        let start = at
        func digits(_ p: inout JSONParser) -> Int {
            let from = p.at
            while let b = p.peek, b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") { p.at += 1 }
            return p.at - from
        }
        if peek == UInt8(ascii: "-") { at += 1 }
        let intStart = at
        let intDigits = digits(&self)
        guard intDigits > 0 else { throw fail("expected a digit") }
        if intDigits > 1, bytes[intStart] == UInt8(ascii: "0") {
            at = intStart + 1
            throw fail("leading zero in a number")
        }
        var integral = true
        if peek == UInt8(ascii: ".") {
            at += 1
            integral = false
            guard digits(&self) > 0 else { throw fail("expected a digit after '.'") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            at += 1
            integral = false
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { at += 1 }
            guard digits(&self) > 0 else { throw fail("expected a digit in the exponent") }
        }
        let text = String(decoding: bytes[start..<at], as: UTF8.self)
        if integral, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw JSONParseError(offset: start, reason: "number out of range") }
        if d == d.rounded(), abs(d) <= 9_007_199_254_740_992 { return .int(Int64(d)) }
        return .double(d)
    }

    private mutating func string() throws(JSONParseError) -> String {
        at += 1
        var scalars = String.UnicodeScalarView()
        var runStart = at
        func flush(_ p: JSONParser, to end: Int) {
            scalars.append(contentsOf: String(decoding: p.bytes[runStart..<end], as: UTF8.self).unicodeScalars)
        }
        while let b = peek {
            switch b {
            case UInt8(ascii: "\""):
                flush(self, to: at)
                at += 1
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush(self, to: at)
                at += 1
                scalars.append(try escape())
                runStart = at
            case 0..<0x20:
                throw fail("control character in a string")
            default:
                at += 1
            }
        }
        throw fail("unterminated string")
    }

    /// After a backslash: one escaped scalar. Surrogate pairs are joined; a lone surrogate
    /// becomes U+FFFD, as Go's decoder does.
    private mutating func escape() throws(JSONParseError) -> Unicode.Scalar {
        guard let e = peek else { throw fail("unterminated string") }
        at += 1
        switch e {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{8}"
        case UInt8(ascii: "f"): return "\u{C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let high = try hex4()
            if (0xD800..<0xDC00).contains(high), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"),
                bytes[at + 1] == UInt8(ascii: "u")
            {
                let save = at
                at += 2
                let low = try hex4()
                if (0xDC00..<0xE000).contains(low) {
                    return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)) ?? "\u{FFFD}"
                }
                at = save
            }
            return Unicode.Scalar(high) ?? "\u{FFFD}"
        default:
            at -= 1
            throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))'")
        }
    }

    private mutating func hex4() throws(JSONParseError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let b = peek else { throw fail("unterminated \\u escape") }
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            v = v * 16 + digit
            at += 1
        }
        return v
    }
}
