import JSON
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindAndKeepsKeyOrder() throws {
        let value = try JSONValue(parsing: #" {"z": 1, "a": [true, false, null], "m": {"y": "s", "b": -2.5}} "#)
        #expect(value.objectValue?.keys == ["z", "a", "m"])
        #expect(value["m"]?.objectValue?.keys == ["y", "b"])
        #expect(value["a"] == [true, false, nil])
        #expect(value["m"]?["b"] == .double(-2.5))
        #expect(value.goJSON == #"{"z":1,"a":[true,false,null],"m":{"y":"s","b":-2.5}}"#)
    }

    @Test func roundTripsThroughEveryRenderer() throws {
        let value: JSONValue = [
            "name": "a<b>&\"c\"\n\u{2028}", "port": 9080, "ratio": .double(0.25), "big": .double(1e21), "tiny": .double(1e-7),
            "list": [[:], [], nil, false], "nested": ["k": ["deep": "é☃𝄞"]],
        ]
        for text in [value.canonicalJSON, value.goJSON, value.goIndentedJSON(), value.envoyAdminJSON] {
            let parsed = try JSONValue(parsing: text)
            #expect(parsed == value)
        }
        #expect(try JSONValue(parsing: value.goJSON).isIdentical(to: value))
        #expect(try JSONValue(parsing: value.canonicalJSON).isIdentical(to: value) == false)
    }

    @Test func numbers() throws {
        #expect(try JSONValue(parsing: "9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue(parsing: "-0") == .int(0))
        // Integral values are integers, as the Codable decoding reads them.
        #expect(try JSONValue(parsing: "1.0") == .int(1))
        #expect(try JSONValue(parsing: "1e3") == .int(1000))
        #expect(try JSONValue(parsing: "1.5e-3") == .double(0.0015))
        #expect(try JSONValue(parsing: "9223372036854775808") == .double(9_223_372_036_854_775_808))
    }

    @Test func strings() throws {
        #expect(try JSONValue(parsing: #""a\"\\\/\b\f\n\r\t\u00e9\u2028""#) == .string("a\"\\/\u{8}\u{C}\n\r\t\u{E9}\u{2028}"))
        #expect(try JSONValue(parsing: #""\ud834\udd1e""#) == .string("𝄞"))
        #expect(try JSONValue(parsing: #""\ud834x""#) == .string("\u{FFFD}x"))
        #expect(try JSONValue(parsing: "\"héllo ☃\"") == .string("héllo ☃"))
    }

    @Test func repeatedKeysKeepFirstPlaceAndLastValue() throws {
        let value = try JSONValue(parsing: #"{"a":1,"b":2,"a":3}"#)
        #expect(value.goJSON == #"{"a":3,"b":2}"#)
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        ("{\"a\" 1}", 5, "expected ':'"),
        ("[1,2", 4, "unterminated array"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("{\"a\":1,}", 7, "expected a string key"),
        ("tru", 3, "invalid literal, expected true"),
        ("01", 1, "leading zero in a number"),
        ("1.", 2, "expected a digit after '.'"),
        ("-", 1, "expected a digit"),
        ("\"abc", 4, "unterminated string"),
        ("\"a\nb\"", 2, "control character in a string"),
        ("\"\\x\"", 2, "invalid escape '\\x'"),
        ("\"\\u12g4\"", 5, "invalid \\u escape"),
        ("{} x", 3, "unexpected data after the value"),
        ("@", 0, "unexpected character '@'"),
    ])
    func errorsNameThePosition(_ text: String, _ offset: Int, _ reason: String) {
        #expect(throws: JSONParseError(offset: offset, reason: reason)) { try JSONValue(parsing: text) }
    }

    @Test func errorDescription() {
        #expect(JSONParseError(offset: 4, reason: "unterminated array").description == "invalid JSON at byte 4: unterminated array")
    }

    @Test func nestingIsBounded() throws {
        let limit = JSONValue.maxParseDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(try JSONValue(parsing: deepest).arrayValue != nil)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(throws: JSONParseError(offset: limit, reason: "nesting deeper than \(limit)")) {
            try JSONValue(parsing: tooDeep)
        }
        let objects = String(repeating: #"{"a":"#, count: limit + 1) + "1" + String(repeating: "}", count: limit + 1)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: objects) }
    }
}
