import Foundation
import Rehearse
import Testing

/// `scenarios/scenario.schema.json` (for editors) and the parser allow the same keys in every
/// mapping: a key added to one and not the other fails here.
struct ScenarioSchemaTests {
    @Test func theSchemaAndTheParserAgreeOnEveryKey() throws {
        let path = ScenarioParserTests.scenariosDirectory + "/scenario.schema.json"
        let data = try #require(FileManager.default.contents(atPath: path))
        let schema = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func keys(_ object: [String: Any]?) -> [String] {
            ((object?["properties"] as? [String: Any])?.keys).map { $0.sorted() } ?? []
        }
        let defs = try #require(schema["$defs"] as? [String: Any])
        var fromSchema: [String: [String]] = ["scenario": keys(schema)]
        for (name, def) in defs { fromSchema[name] = keys(def as? [String: Any]) }
        #expect(fromSchema == ScenarioSchema.keys.mapValues { $0.sorted() })
        // Every mapping forbids other keys, as the parser does.
        #expect(schema["additionalProperties"] as? Bool == false)
        for (name, def) in defs {
            #expect((def as? [String: Any])?["additionalProperties"] as? Bool == false, "\(name)")
        }
    }
}
