import Foundation

/// Lines read from a file handle (a pipe to or from another process) on a dedicated thread, so the
/// blocking reads never occupy the cooperative pool.
public final class LineReader: Sendable {
    public let lines: AsyncStream<String>

    public init(_ handle: FileHandle) {
        let (lines, continuation) = AsyncStream.makeStream(of: String.self)
        self.lines = lines
        let thread = Thread {
            var buffer: [UInt8] = []
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                buffer += chunk
                while let newline = buffer.firstIndex(of: 10) {
                    continuation.yield(String(decoding: buffer[..<newline], as: UTF8.self))
                    buffer.removeSubrange(...newline)
                }
            }
            continuation.finish()
        }
        thread.name = "line-reader"
        thread.start()
    }
}

extension FileHandle {
    /// Writes one line and returns at once (pipes to our own children are never full for long).
    public func writeLine(_ line: String) {
        write(Data((line + "\n").utf8))
    }
}

/// JSON in one line, for the pipes between push-bench's processes.
public enum JSONLine {
    public static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(value)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decode<T: Decodable>(_ type: T.Type, _ text: some StringProtocol) -> T? {
        try? JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
