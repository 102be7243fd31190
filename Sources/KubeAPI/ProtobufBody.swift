import Foundation
import JSON
import Kubernetes
import KubeRuntime

/// Kubernetes' protobuf envelope, read far enough for the request bodies kubectl's typed clients
/// send (`kubectl create namespace|deployment|service|configmap|secret|serviceaccount`,
/// `kubectl run`): the magic `k8s\0`, a `runtime.Unknown` (typeMeta = 1, raw = 2), and in `raw`
/// the object, decoded by a small table of the generated.proto field numbers for the fields
/// those commands set. Field numbers were checked against what kubectl 1.32 sends. Kinds
/// without a table (webhook configurations) answer 415.
enum ProtobufBody {
    static let magic: [UInt8] = [0x6B, 0x38, 0x73, 0x00]

    static func isProtobuf(_ contentType: String) -> Bool {
        contentType.hasPrefix("application/vnd.kubernetes.protobuf")
    }

    indirect enum FieldType: Sendable {
        case string, int, bool, base64Bytes, intOrString
        case map(FieldType)
        case message(String)
    }

    struct FieldSpec: Sendable {
        var name: String
        var type: FieldType
        var repeated = false
        /// Kept even when zero (a pointer field in Go, such as `replicas`).
        var keepZero = false
    }

    static func f(_ name: String, _ type: FieldType, repeated: Bool = false, keepZero: Bool = false) -> FieldSpec {
        FieldSpec(name: name, type: type, repeated: repeated, keepZero: keepZero)
    }

    static let schemas: [String: [Int: FieldSpec]] = [
        "ObjectMeta": [
            1: f("name", .string), 2: f("generateName", .string), 3: f("namespace", .string),
            11: f("labels", .map(.string)), 12: f("annotations", .map(.string)),
        ],
        "LabelSelector": [1: f("matchLabels", .map(.string)), 2: f("matchExpressions", .message("LabelSelectorRequirement"), repeated: true)],
        "LabelSelectorRequirement": [1: f("key", .string), 2: f("operator", .string), 3: f("values", .string, repeated: true)],
        "DeploymentSpec": [
            1: f("replicas", .int, keepZero: true), 2: f("selector", .message("LabelSelector")),
            3: f("template", .message("PodTemplateSpec")), 4: f("strategy", .message("DeploymentStrategy")),
            5: f("minReadySeconds", .int), 6: f("revisionHistoryLimit", .int, keepZero: true), 7: f("paused", .bool),
            9: f("progressDeadlineSeconds", .int),
        ],
        "DeploymentStrategy": [1: f("type", .string), 2: f("rollingUpdate", .message("RollingUpdateDeployment"))],
        "RollingUpdateDeployment": [1: f("maxUnavailable", .intOrString), 2: f("maxSurge", .intOrString)],
        "PodTemplateSpec": [1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("PodSpec"))],
        "PodSpec": [
            2: f("containers", .message("Container"), repeated: true), 3: f("restartPolicy", .string),
            4: f("terminationGracePeriodSeconds", .int), 6: f("dnsPolicy", .string), 7: f("nodeSelector", .map(.string)),
            8: f("serviceAccountName", .string), 10: f("nodeName", .string), 19: f("schedulerName", .string),
            20: f("initContainers", .message("Container"), repeated: true),
        ],
        "Container": [
            1: f("name", .string), 2: f("image", .string), 3: f("command", .string, repeated: true),
            4: f("args", .string, repeated: true), 5: f("workingDir", .string),
            6: f("ports", .message("ContainerPort"), repeated: true), 7: f("env", .message("EnvVar"), repeated: true),
            13: f("terminationMessagePath", .string), 14: f("imagePullPolicy", .string),
            20: f("terminationMessagePolicy", .string),
        ],
        "ContainerPort": [
            1: f("name", .string), 2: f("hostPort", .int), 3: f("containerPort", .int), 4: f("protocol", .string),
            5: f("hostIP", .string),
        ],
        "EnvVar": [1: f("name", .string), 2: f("value", .string)],
        "ServiceSpec": [
            1: f("ports", .message("ServicePort"), repeated: true), 2: f("selector", .map(.string)), 3: f("clusterIP", .string),
            4: f("type", .string), 5: f("externalIPs", .string, repeated: true), 7: f("sessionAffinity", .string),
        ],
        "ServicePort": [
            1: f("name", .string), 2: f("protocol", .string), 3: f("port", .int), 4: f("targetPort", .intOrString),
            5: f("nodePort", .int),
        ],
        "Deployment": [1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("DeploymentSpec"))],
        "Pod": [1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("PodSpec"))],
        "Service": [1: f("metadata", .message("ObjectMeta")), 2: f("spec", .message("ServiceSpec"))],
        "Namespace": [1: f("metadata", .message("ObjectMeta"))],
        "ServiceAccount": [1: f("metadata", .message("ObjectMeta"))],
        "ConfigMap": [1: f("metadata", .message("ObjectMeta")), 2: f("data", .map(.string))],
        "Secret": [
            1: f("metadata", .message("ObjectMeta")), 2: f("data", .map(.base64Bytes)), 3: f("type", .string),
            4: f("stringData", .map(.string)),
        ],
    ]

    static func decode(_ bytes: [UInt8], resource: ResourceType) throws(WorldError) -> JSONValue {
        guard bytes.starts(with: magic) else { throw .badRequest("protobuf body does not start with the Kubernetes magic number") }
        guard schemas[resource.kind] != nil else {
            throw WorldError(
                .unsupportedMediaType,
                "xdsemu does not read protobuf bodies for \(resource.plural); send JSON (`kubectl apply -f`)",
                resource: resource)
        }
        let unknown = try fields(Array(bytes.dropFirst(4)))
        guard let raw = unknown.first(where: { $0.number == 2 })?.bytes else { throw .badRequest("protobuf body has no object") }
        var object = try message(raw, resource.kind)
        object["apiVersion"] = .string(resource.apiVersion)
        object["kind"] = .string(resource.kind)
        return object
    }

    static func message(_ bytes: [UInt8], _ name: String) throws(WorldError) -> JSONValue {
        let schema = schemas[name] ?? [:]
        var out: JSONObject = [:]
        for field in try fields(bytes) {
            guard let spec = schema[field.number], let value = try value(field, spec.type) else { continue }
            if spec.repeated {
                out[spec.name] = .array((out[spec.name]?.arrayValue ?? []) + [value])
            } else if case .map = spec.type, case .object(let entry) = value {
                out[spec.name] = .object((out[spec.name]?.objectValue ?? [:]).merging(entry) { _, b in b })
            } else if value != .string(""), value != .int(0) || spec.keepZero, value != .bool(false), value != .object([:]) {
                out[spec.name] = value
            }
        }
        return .object(out)
    }

    /// One field's value; a map field gives a one-entry object (its entries arrive one by one).
    static func value(_ field: Field, _ type: FieldType) throws(WorldError) -> JSONValue? {
        switch type {
        case .int: return field.varint.map { .int(Int64(truncatingIfNeeded: $0)) }
        case .bool: return field.varint.map { .bool($0 != 0) }
        case .string: return field.bytes.map { .string(String(decoding: $0, as: UTF8.self)) }
        case .base64Bytes: return field.bytes.map { .string(Data($0).base64EncodedString()) }
        case .message(let name): return try field.bytes.map { b throws(WorldError) in try message(b, name) }
        case .intOrString:
            guard let b = field.bytes else { return nil }
            let parts = try fields(b)
            if parts.first(where: { $0.number == 1 })?.varint == 1 {
                return .string(parts.first { $0.number == 3 }?.bytes.map { String(decoding: $0, as: UTF8.self) } ?? "")
            }
            return .int(Int64(truncatingIfNeeded: parts.first { $0.number == 2 }?.varint ?? 0))
        case .map(let valueType):
            guard let b = field.bytes else { return nil }
            let kv = try fields(b)
            let key = kv.first { $0.number == 1 }?.bytes.map { String(decoding: $0, as: UTF8.self) } ?? ""
            let v = try kv.first { $0.number == 2 }.flatMap { f throws(WorldError) in try value(f, valueType) } ?? .string("")
            return .object([key: v])
        }
    }

    struct Field {
        var number: Int
        /// Length-delimited payload.
        var bytes: [UInt8]?
        /// Varint payload.
        var varint: UInt64?
    }

    /// Splits one protobuf message into its top-level fields.
    static func fields(_ b: [UInt8]) throws(WorldError) -> [Field] {
        var out: [Field] = []
        var i = 0
        func varint() throws(WorldError) -> UInt64 {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                guard i < b.count, shift < 64 else { throw .badRequest("truncated protobuf body") }
                let byte = b[i]
                i += 1
                v |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return v }
                shift += 7
            }
        }
        while i < b.count {
            let key = try varint()
            let number = Int(key >> 3)
            switch key & 7 {
            case 0: out.append(Field(number: number, varint: try varint()))
            case 1: i += 8; out.append(Field(number: number))
            case 5: i += 4; out.append(Field(number: number))
            case 2:
                let n = Int(try varint())
                guard n >= 0, i + n <= b.count else { throw .badRequest("truncated protobuf body") }
                out.append(Field(number: number, bytes: Array(b[i..<i + n])))
                i += n
            default:
                throw .badRequest("unsupported protobuf wire type \(key & 7)")
            }
        }
        guard i <= b.count else { throw .badRequest("truncated protobuf body") }
        return out
    }
}
