/// `/openapi/v2` in the protobuf form client-go asks for (`Accept:
/// application/com.github.proto-openapi.spec.v2@v1.0+protobuf`, decoded as gnostic's
/// `openapi.v2.Document`: `openapiv2/OpenAPIv2.proto` in google/gnostic). kubectl 1.32 reads it
/// for one thing only: checking a `kind: List` file before `apply`/`create`, because its
/// `fieldValidation` probe over `/openapi/v3` does not cover `List`
/// (`pkg/validation/schema.go` in kubernetes/kubectl@v0.32.0). Its check skips any kind it finds
/// no definition for (`SchemaValidation.validateResource`), so this document carries only
/// `swagger` and `info`: the items go to the server, which validates each as it validates every
/// object. Without an answer kubectl refuses the file ("the server was unable to respond with a
/// content type that the client supports").
enum OpenAPIv2Protobuf {
    /// What the answer is labelled: client-go parses the response's media type, and Go's `mime`
    /// package refuses the `@` of the type it asked for, so the body goes out as plain bytes.
    static let contentType = "application/octet-stream"

    /// `Document { swagger: "2.0" (1), info (2): Info { title (1), version (2) } }`.
    static let document: [UInt8] =
        field(1, string: "2.0") + field(2, message: field(1, string: "Kubernetes") + field(2, string: "v1.32.0-xdsemu"))

    /// A length-delimited field (wire type 2): key, varint length, bytes.
    static func field(_ number: UInt64, message bytes: [UInt8]) -> [UInt8] {
        varint(number << 3 | 2) + varint(UInt64(bytes.count)) + bytes
    }

    static func field(_ number: UInt64, string: String) -> [UInt8] { field(number, message: Array(string.utf8)) }

    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }
}
