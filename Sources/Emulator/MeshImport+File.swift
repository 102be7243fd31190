import Foundation
import Istio
import JSON
import KubeAPI
import Kubernetes

extension MeshImport {
    /// What a dump file must be, for the error lines.
    static let expectedFile = "expected the kind: List that `kubectl get … -A -o yaml` (or `-o json`) writes"

    /// Reads a cluster dump (YAML or JSON, as `kubectl get … -A -o yaml|json` wrote it) and builds
    /// its world (`load(list:file:config:now:)`). Every error is one line that names the file.
    package static func load(path: String, config: WorldConfig = WorldConfig(), now: Timestamp) throws(MeshImportError)
        -> ImportedMesh
    {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
            let data = FileManager.default.contents(atPath: path)
        else {
            throw MeshImportError("\(path): cannot read it (no such file, a directory, or not readable); \(expectedFile)")
        }
        let value: JSONValue?
        do { value = try KubeDocument.decode([UInt8](data)) } catch {
            // The parser's first line says what and where (Yams adds the offending line and a caret below it).
            let what = error.detail.split(whereSeparator: \.isNewline).first.map(String.init) ?? error.detail
            throw MeshImportError("\(path): not valid \(error.isJSON ? "JSON" : "YAML") (\(what)); \(expectedFile)")
        }
        guard let value else {
            throw MeshImportError("\(path): an empty document, or one with YAML aliases; \(expectedFile)")
        }
        return try load(list: value, file: path, config: config, now: now)
    }
}
