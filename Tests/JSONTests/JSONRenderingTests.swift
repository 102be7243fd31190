import Foundation
import JSON
import Testing

@Suite struct JSONRenderingTests {
    static let sample: JSONValue = [
        "name": "xds-grpc", "added_via_api": true, "weight": 1, "hosts": [], "locality": [:],
        "stats": [["name": "cx_total", "value": "3"], ["type": "GAUGE", "name": "cx_active"]],
        "none": nil,
    ]

    /// An expected rendering of `sample`, kept byte for byte in `Golden/`.
    static func golden(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Golden"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    @Test func canonicalSortsKeysCompactly() {
        #expect(Self.sample.canonicalJSON == #"{"added_via_api":true,"hosts":[],"locality":{},"name":"xds-grpc","none":null,"stats":[{"name":"cx_total","value":"3"},{"name":"cx_active","type":"GAUGE"}],"weight":1}"#)
    }

    @Test func goCompactKeepsKeyOrder() {
        #expect(Self.sample.goJSON == #"{"name":"xds-grpc","added_via_api":true,"weight":1,"hosts":[],"locality":{},"stats":[{"name":"cx_total","value":"3"},{"type":"GAUGE","name":"cx_active"}],"none":null}"#)
    }

    @Test func goIndentedIsMarshalIndent() throws {
        let expected = try Self.golden("go-indented.json")
        #expect(Self.sample.goIndentedJSON() == expected)
        #expect(JSONValue.array([["a": 1]]).goIndentedJSON(indent: "  ") == "[\n  {\n    \"a\": 1\n  }\n]")
    }

    @Test func envoyAdminPretty() throws {
        let expected = try Self.golden("envoy-admin.json")
        #expect(Self.sample.envoyAdminJSON == expected)
        #expect(JSONValue.object([:]).envoyAdminJSON == "{}\n")
    }

    @Test func goEscaping() {
        let s: JSONValue = "<a href=\"x\">&amp;</a>\\ \n\r\t\u{1}\u{8}\u{C}\u{1F} \u{2028}\u{2029} é☃𝄞 /"
        let go = #""\u003ca href=\"x\"\u003e\u0026amp;\u003c/a\u003e\\ \n\r\t\u0001\u0008\u000c\u001f \u2028\u2029 é☃𝄞 /""#
        #expect(s.goJSON == go)
        #expect(s.goIndentedJSON() == go)
        // The canonical form predates the line-separator escapes; Envoy escapes neither those nor HTML.
        #expect(s.canonicalJSON == go.replacing(#"\u2028\u2029"#, with: "\u{2028}\u{2029}"))
        #expect(s.envoyAdminJSON == #""<a href=\"x\">&amp;</a>\\ \n\r\t\u0001\u0008\u000c\u001f "# + "\u{2028}\u{2029} é☃𝄞 /\"\n")
        #expect(JSONValue.object(["<k>": 1]).goJSON == #"{"\u003ck\u003e":1}"#)
    }

    @Test(arguments: [
        (0.0, "0"), (-0.0, "-0"), (1.0, "1"), (-2.5, "-2.5"), (0.1, "0.1"), (100.0, "100"), (123456.789, "123456.789"),
        (1e20, "100000000000000000000"), (1e21, "1e+21"), (1.5e300, "1.5e+300"), (0.000001, "0.000001"),
        (0.0000001, "1e-7"), (1.25e-10, "1.25e-10"), (5e-324, "5e-324"), (1e16, "10000000000000000"),
        (0.00001, "0.00001"), (Double.nan, "null"), (Double.infinity, "null"),
    ])
    func goNumbers(_ value: Double, _ printed: String) {
        #expect(JSONValue.double(value).goJSON == printed)
    }

    @Test func integersAsTheyAre() {
        #expect(JSONValue.int(Int64.min).goJSON == "-9223372036854775808")
        #expect(JSONValue.int(9080).envoyAdminJSON == "9080\n")
    }

    @Test func canonicalNumbersAreUnchanged() {
        #expect(JSONValue.double(3.0).canonicalJSON == "3")
        #expect(JSONValue.double(0.5).canonicalJSON == "0.5")
        #expect(JSONValue.double(1e16).canonicalJSON == "1e+16")
        #expect(JSONValue.double(0.00001).canonicalJSON == "1e-05")
    }
}
