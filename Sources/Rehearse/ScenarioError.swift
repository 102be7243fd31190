/// Why a scenario file was refused: the file, the line (0: the file as a whole) and what was
/// wrong, with what is allowed. One line, as `FILE:LINE: message`.
package struct ScenarioError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var message: String

    package init(file: String, line: Int, _ message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    package var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
