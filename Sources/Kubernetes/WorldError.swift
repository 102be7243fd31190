import JSON
/// Why the world refused a request. Each case maps onto one Kubernetes `Status` reason, so the
/// facade can answer the way the real API server would and kubectl prints its usual message.
package struct WorldError: Error, Hashable, Sendable, CustomStringConvertible {
    package enum Code: String, Hashable, Sendable, Codable {
        case notFound = "NotFound"
        case alreadyExists = "AlreadyExists"
        case conflict = "Conflict"
        case invalid = "Invalid"
        case forbidden = "Forbidden"
        case badRequest = "BadRequest"
        case methodNotAllowed = "MethodNotAllowed"
        case unsupportedMediaType = "UnsupportedMediaType"
        case gone = "Expired"
        case internalError = "InternalError"

        /// The HTTP status the API server uses for this reason.
        package var httpStatus: Int {
            switch self {
            case .notFound: 404
            case .alreadyExists, .conflict: 409
            case .invalid: 422
            case .forbidden: 403
            case .badRequest: 400
            case .methodNotAllowed: 405
            case .unsupportedMediaType: 415
            case .gone: 410
            case .internalError: 500
            }
        }
    }

    package var code: Code
    package var message: String
    /// The object the error is about, for `Status.details`.
    package var name: String?
    package var resource: ResourceType?
    /// For `invalid`: one entry per offending field, as `Status.details.causes`.
    package var causes: [Cause] = []

    package struct Cause: Hashable, Sendable {
        package var reason: String
        package var field: String
        package var message: String
    }

    package init(_ code: Code, _ message: String, name: String? = nil, resource: ResourceType? = nil) {
        self.code = code
        self.message = message
        self.name = name
        self.resource = resource
    }

    package var description: String { message }

    package static func badRequest(_ message: String) -> WorldError { WorldError(.badRequest, message) }

    package static func notFound(_ resource: ResourceType, _ name: String) -> WorldError {
        WorldError(.notFound, "\(resource.qualifiedName) \"\(name)\" not found", name: name, resource: resource)
    }

    package static func alreadyExists(_ resource: ResourceType, _ name: String) -> WorldError {
        WorldError(.alreadyExists, "\(resource.qualifiedName) \"\(name)\" already exists", name: name, resource: resource)
    }

    /// `<Kind> "<name>" is invalid: <field>: <detail>`, the 422 kubectl prints verbatim.
    package static func invalid(_ resource: ResourceType, _ name: String, _ causes: [String]) -> WorldError {
        let joined = causes.count == 1 ? causes[0] : "[" + causes.joined(separator: ", ") + "]"
        let kind = resource.group.isEmpty ? resource.kind : "\(resource.kind).\(resource.group)"
        var error = WorldError(.invalid, "\(kind) \"\(name)\" is invalid: \(joined)", name: name, resource: resource)
        error.causes = causes.map { text in
            let (field, message) =
                if let r = text.firstRange(of: ": ") {
                    (String(text[..<r.lowerBound]), String(text[r.upperBound...]))
                } else {
                    ("", text)
                }
            let reason =
                if message.hasPrefix("Required value") {
                    "FieldValueRequired"
                } else if message.hasPrefix("Forbidden") {
                    "FieldValueForbidden"
                } else if message.hasPrefix("Duplicate value") {
                    "FieldValueDuplicate"
                } else if message.hasPrefix("Unsupported value") {
                    "FieldValueNotSupported"
                } else {
                    "FieldValueInvalid"
                }
            return Cause(reason: reason, field: field, message: message)
        }
        return error
    }

    package static func forbidden(_ resource: ResourceType, _ name: String, _ why: String) -> WorldError {
        WorldError(.forbidden, "\(resource.qualifiedName) \"\(name)\" is forbidden: \(why)", name: name, resource: resource)
    }
}
