/// A gRPC status code (grpc/impl/codegen/status.h); the raw value is the wire value.
public struct StatusCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let ok = StatusCode(rawValue: 0)
    package static let cancelled = StatusCode(rawValue: 1)
    package static let unknown = StatusCode(rawValue: 2)
    package static let invalidArgument = StatusCode(rawValue: 3)
    package static let deadlineExceeded = StatusCode(rawValue: 4)
    package static let notFound = StatusCode(rawValue: 5)
    package static let alreadyExists = StatusCode(rawValue: 6)
    package static let permissionDenied = StatusCode(rawValue: 7)
    package static let resourceExhausted = StatusCode(rawValue: 8)
    package static let failedPrecondition = StatusCode(rawValue: 9)
    package static let aborted = StatusCode(rawValue: 10)
    package static let outOfRange = StatusCode(rawValue: 11)
    package static let unimplemented = StatusCode(rawValue: 12)
    package static let `internal` = StatusCode(rawValue: 13)
    package static let unavailable = StatusCode(rawValue: 14)
    package static let dataLoss = StatusCode(rawValue: 15)
    package static let unauthenticated = StatusCode(rawValue: 16)

    private static let names = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND",
        "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION",
        "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED",
    ]

    /// The spec's name, e.g. `UNAVAILABLE`.
    public var description: String {
        Self.names.indices.contains(Int(rawValue)) ? Self.names[Int(rawValue)] : "CODE(\(rawValue))"
    }
}

/// How a call ended: a code and the status message (grpc-message).
public struct CallStatus: Sendable, Equatable, CustomStringConvertible {
    package var code: StatusCode
    package var message: String

    package init(code: StatusCode, message: String = "") {
        self.code = code
        self.message = message
    }

    public var description: String { message.isEmpty ? "\(code)" : "\(code): \(message)" }
}
