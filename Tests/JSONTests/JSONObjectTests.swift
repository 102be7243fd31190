import Foundation
import JSON
import Testing

@Suite struct JSONObjectTests {
    @Test func keepsInsertionOrder() {
        var o: JSONObject = ["z": 1, "a": 2]
        o["m"] = 3
        o["z"] = 4  // replaced in place
        #expect(o.keys == ["z", "a", "m"])
        #expect(o.map(\.key) == ["z", "a", "m"])
        #expect(o.orderedValues == [4, 2, 3])
        o["a"] = nil
        #expect(o.keys == ["z", "m"])
        #expect(o.removeValue(forKey: "zz") == nil)
        o += ["q": 1, "z": 5]
        #expect(o.keys == ["z", "m", "q"])
        #expect(o["z"] == 5)
        #expect(o["missing", default: 0] == 0)
    }

    @Test func equalityAndHashIgnoreOrder() {
        let a: JSONValue = ["x": 1, "y": ["p": true, "q": nil]]
        let b: JSONValue = ["y": ["q": nil, "p": true], "x": 1]
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(Set([a, b]).count == 1)
        #expect(!a.isIdentical(to: b))
        #expect(a.isIdentical(to: ["x": 1, "y": ["p": true, "q": nil]]))
        #expect(a != ["x": 1])
    }

    @Test func dictionaryLikeOperations() {
        let o: JSONObject = ["b": 1, "a": "s", "c": nil]
        #expect(o.filter { $0.value != .null }.keys == ["b", "a"])
        #expect(o.mapValues { _ in true }.keys == ["b", "a", "c"])
        #expect(o.compactMapValues { $0.stringValue.map(JSONValue.string) }.keys == ["a"])
        #expect(o.merging(["d": 4, "b": 2]) { _, new in new } == ["b": 2, "a": "s", "c": nil, "d": 4])
        #expect(JSONObject(["y": 1, "x": 2]).keys == ["x", "y"])
        #expect(JSONObject([("y", 1), ("x", 2), ("y", 3)]).keys == ["y", "x"])
        #expect(o.count == 3 && !o.isEmpty && JSONObject().isEmpty)
    }

    @Test func valueAccessors() {
        let v: JSONValue = ["labels": ["app": "web"], "n": 3, "d": .double(4), "list": [1], "flag": true]
        #expect(v[path: ["labels", "app"]] == "web")
        #expect(v["labels"]?.stringMap == ["app": "web"])
        #expect(JSONValue.null.stringMap == [:])
        #expect(v["n"]?.intValue == 3 && v["d"]?.intValue == 4)
        #expect(v["list"]?.arrayValue == [1] && v["flag"]?.boolValue == true)
        #expect(JSONValue(["b": "2", "a": "1"]).objectValue?.keys == ["a", "b"])
    }

    @Test func codableMatchesTheCanonicalForm() throws {
        let v: JSONValue = ["b": [1, .double(2.5), "x", nil, true], "a": [:]]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(v)
        #expect(String(decoding: data, as: UTF8.self) == v.canonicalJSON)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == v)
    }
}
