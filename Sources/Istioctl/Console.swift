import Foundation

/// Writes to the standard streams the way cobra does (errors on stderr).
enum Console {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    /// Text that carries its own line ends (help, usage).
    static func write(_ text: String, error: Bool = false) {
        (error ? FileHandle.standardError : FileHandle.standardOutput).write(Data(text.utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Asks a yes/no question on stdout and reads the answer from stdin (EOF: no).
    static func confirm(_ question: String) -> Bool {
        FileHandle.standardOutput.write(Data(question.utf8))
        guard let answer = readLine() else {
            out("")
            return false
        }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// A zap-style log line (`2020-05-23T15:31:02.866368Z	error	installer	…`), as istioctl's
    /// installer logs failures.
    static func log(_ level: String, _ scope: String, _ message: String) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamp = formatter.string(from: Date()).replacingOccurrences(of: "Z", with: "000Z")
        err("\(stamp)\t\(level)\t\(scope)\t\(message)")
    }
}
