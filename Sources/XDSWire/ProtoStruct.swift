internal import CXDSProto
import XDSModel

/// `google.protobuf.Struct` on its own (the model keeps it as `[String: MetadataValue]`, e.g.
/// `Node.metadata`). Fields are encoded sorted by key, so equal structs give equal bytes.
package struct ProtoStruct: Hashable, Sendable, WireMessage {
    package var fields: [String: MetadataValue]
    package init(_ fields: [String: MetadataValue]) { self.fields = fields }

    static func build(_ fields: [String: MetadataValue], in arena: EncodeArena) -> UnsafeMutablePointer<Pb__Struct> {
        let sorted = fields.sorted { $0.key < $1.key }
        return arena.new(pb__struct__init) {
            $0.n_fields = sorted.count
            $0.fields = arena.pointers(sorted) { entry in
                arena.new(pb__struct__fields_entry__init) {
                    $0.key = arena.cString(entry.key)
                    $0.value = entry.value.build(in: arena)
                }
            }
        }
    }

    /// Recursion here is bounded: NestingLimit rejected anything nested deeper than 100 messages
    /// before protobuf-c unpacked it.
    static func fields(
        unpacked c: UnsafePointer<Pb__Struct>, field: @autoclosure () -> String
    ) throws(WireError) -> [String: MetadataValue] {
        let entries = try Unpacked.elements(c.pointee.n_fields, c.pointee.fields, "\(field()).fields") {
            (e) throws(WireError) -> (String, MetadataValue) in
            let key = try Unpacked.string(e.pointee.key, "\(field()).fields.key")
            // A map entry without a value is the value's default: a Value with no kind.
            guard let value = e.pointee.value else { return (key, .null) }
            return (key, try MetadataValue(unpacked: value, field: "\(field()).fields[\(key)]"))
        }
        // Protobuf maps: the last entry for a key wins.
        return Dictionary(entries, uniquingKeysWith: { _, last in last })
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        fields = try Unpacked.read(wireBytes, pb__struct__descriptor, unpack: { pb__struct__unpack(nil, $0, $1) }) {
            (c) throws(WireError) in try Self.fields(unpacked: c, field: "Struct")
        }
    }

    package func wireBytes() -> [UInt8] { EncodeArena.pack { Self.build(fields, in: $0) } }
}

extension MetadataValue: WireMessage {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Pb__Value> {
        arena.new(pb__value__init) { v in
            switch self {
            case .null:
                v.kind_case = PB__VALUE__KIND_NULL_VALUE
                v.null_value = PB__NULL_VALUE__NULL_VALUE
            case .number(let d):
                v.kind_case = PB__VALUE__KIND_NUMBER_VALUE
                v.number_value = d
            case .string(let s):
                v.kind_case = PB__VALUE__KIND_STRING_VALUE
                v.string_value = arena.cString(s)
            case .bool(let b):
                v.kind_case = PB__VALUE__KIND_BOOL_VALUE
                v.bool_value = b ? 1 : 0
            case .structure(let fields):
                v.kind_case = PB__VALUE__KIND_STRUCT_VALUE
                v.struct_value = ProtoStruct.build(fields, in: arena)
            case .list(let values):
                v.kind_case = PB__VALUE__KIND_LIST_VALUE
                v.list_value = arena.new(pb__list_value__init) {
                    $0.n_values = values.count
                    $0.values = arena.pointers(values) { $0.build(in: arena) }
                }
            }
        }
    }

    init(unpacked c: UnsafePointer<Pb__Value>, field: @autoclosure () -> String) throws(WireError) {
        let v = c.pointee
        switch v.kind_case {
        case PB__VALUE__KIND_NUMBER_VALUE: self = .number(v.number_value)
        case PB__VALUE__KIND_STRING_VALUE: self = .string(try Unpacked.string(v.string_value, field()))
        case PB__VALUE__KIND_BOOL_VALUE: self = .bool(v.bool_value != 0)
        case PB__VALUE__KIND_STRUCT_VALUE:
            guard let s = v.struct_value else { self = .structure([:]); return }
            self = .structure(try ProtoStruct.fields(unpacked: s, field: field()))
        case PB__VALUE__KIND_LIST_VALUE:
            guard let l = v.list_value else { self = .list([]); return }
            self = .list(
                try Unpacked.elements(l.pointee.n_values, l.pointee.values, field()) {
                    (e) throws(WireError) in try MetadataValue(unpacked: e, field: field())
                })
        default:
            // NULL_VALUE, or no kind at all: both read as null (what Envoy's metadata does).
            self = .null
        }
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(wireBytes, pb__value__descriptor, unpack: { pb__value__unpack(nil, $0, $1) }) {
            (c) throws(WireError) in try MetadataValue(unpacked: c, field: "Value")
        }
    }

    package func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}
