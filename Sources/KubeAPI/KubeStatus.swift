import JSON
import Kubernetes
import KubeRuntime

/// `metav1.Status`, the body of every API error. kubectl prints `Error from server (<reason>):
/// <message>` from it, so the message must read exactly as the real API server's.
enum KubeStatus {
    static func json(_ error: WorldError) -> JSONValue {
        var o: JSONObject = [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(error.message), "reason": .string(error.code.rawValue),
            "code": .int(Int64(error.code.httpStatus)),
        ]
        if error.code == .badRequest || error.code == .internalError { o["reason"] = error.code == .badRequest ? "BadRequest" : "InternalError" }
        if let name = error.name ?? error.resource.map({ _ in "" }) {
            var details: JSONObject = ["name": .string(name)]
            if let r = error.resource {
                if !r.group.isEmpty { details["group"] = .string(r.group) }
                // Invalid names the Kind (kubectl prints `The Deployment "x" is invalid`);
                // the other reasons name the resource.
                details["kind"] = .string(error.code == .invalid ? r.kind : r.plural)
            }
            if !error.causes.isEmpty {
                details["causes"] = .array(
                    error.causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] })
            }
            o["details"] = .object(details)
        } else if !error.causes.isEmpty {
            // An apply conflict names no object, only its causes (`errors.NewApplyConflict`).
            o["details"] = [
                "causes": .array(
                    error.causes.map { ["reason": .string($0.reason), "message": .string($0.message), "field": .string($0.field)] })
            ]
        }
        return .object(o)
    }

    /// A Status the HTTP layer answers before any resource is involved (401, 403, 413).
    static func failure(code: Int, reason: String, message: String) -> JSONValue {
        [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(Int64(code)),
        ]
    }

    /// The Status a successful DELETE of a non-pod object answers with in older servers; we
    /// answer with the object instead (as current servers do), so this is only for collections.
    static func success(_ details: JSONObject) -> JSONValue {
        [
            "kind": "Status", "apiVersion": "v1", "metadata": .object([:]), "status": "Success",
            "details": .object(details),
        ]
    }
}
