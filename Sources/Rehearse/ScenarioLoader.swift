import Foundation

/// The scenarios named on the command line: files as given, directories as their `*.yaml` and
/// `*.yml` files in name order. Every file is read before anything runs; every problem found is
/// returned, one line each.
package enum ScenarioLoader {
    package static func load(_ paths: [String], filter: String? = nil) -> (scenarios: [Scenario], errors: [ScenarioError]) {
        var scenarios: [Scenario] = []
        var errors: [ScenarioError] = []
        for file in files(paths, errors: &errors) {
            guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
                errors.append(ScenarioError(file: file, line: 0, "cannot read it as UTF-8 text"))
                continue
            }
            do throws(ScenarioError) {
                scenarios.append(try ScenarioParser.parse(text, file: file))
            } catch {
                errors.append(error)
            }
        }
        if let filter {
            scenarios = scenarios.filter { $0.name.localizedCaseInsensitiveContains(filter) || $0.file.contains(filter) }
        }
        return (scenarios, errors)
    }

    static func files(_ paths: [String], errors: inout [ScenarioError]) -> [String] {
        var out: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                errors.append(ScenarioError(file: path, line: 0, "no such file or directory"))
                continue
            }
            if !isDirectory.boolValue {
                out.append(path)
                continue
            }
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? [])
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            if names.isEmpty { errors.append(ScenarioError(file: path, line: 0, "no scenario files (*.yaml, *.yml) in this directory")) }
            out += names.map { (path as NSString).appendingPathComponent($0) }
        }
        return out
    }
}
