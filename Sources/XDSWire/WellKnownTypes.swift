internal import CXDSProto
import XDSModel

// google.protobuf.Any / Duration / UInt32Value and google.rpc.Status: small leaves that the
// envelopes and resources embed. Each has `build(in:)` (into an EncodeArena) and `init(unpacked:)`
// (from a protobuf-c tree that Unpacked owns), and a WireMessage conformance on top of them.

/// `google.protobuf.UInt32Value` on its own (the model uses `UInt32?` where Envoy has the wrapper).
package struct ProtoUInt32Value: Hashable, Sendable, WireMessage {
    package var value: UInt32
    package init(_ value: UInt32) { self.value = value }

    static func build(_ value: UInt32, in arena: EncodeArena) -> UnsafeMutablePointer<Pb__UInt32Value> {
        arena.new(pb__uint32_value__init) { $0.value = value }
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        value = try Unpacked.read(wireBytes, pb__uint32_value__descriptor, unpack: { pb__uint32_value__unpack(nil, $0, $1) }) {
            $0.pointee.value
        }
    }

    package func wireBytes() -> [UInt8] { EncodeArena.pack { Self.build(value, in: $0) } }
}

extension AnyMessage: WireMessage {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Pb__Any> {
        arena.new(pb__any__init) {
            $0.type_url = arena.cString(typeURL)
            $0.value = arena.binary(value)
        }
    }

    init(unpacked c: UnsafePointer<Pb__Any>, field: @autoclosure () -> String) throws(WireError) {
        self.init(
            typeURL: try Unpacked.string(c.pointee.type_url, "\(field()).type_url"),
            value: Unpacked.bytes(c.pointee.value))
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(wireBytes, pb__any__descriptor, unpack: { pb__any__unpack(nil, $0, $1) }) {
            (c) throws(WireError) in try AnyMessage(unpacked: c, field: "Any")
        }
    }

    package func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}

extension ProtoDuration: WireMessage {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Pb__Duration> {
        arena.new(pb__duration__init) {
            $0.seconds = seconds
            $0.nanos = nanos
        }
    }

    init(unpacked c: UnsafePointer<Pb__Duration>) {
        self.init(seconds: c.pointee.seconds, nanos: c.pointee.nanos)
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(wireBytes, pb__duration__descriptor, unpack: { pb__duration__unpack(nil, $0, $1) }) {
            ProtoDuration(unpacked: $0)
        }
    }

    package func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}

extension RPCStatus: WireMessage {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Rpc__Status> {
        arena.new(rpc__status__init) {
            $0.code = code
            $0.message = arena.cString(message)
        }
    }

    init(unpacked c: UnsafePointer<Rpc__Status>, field: @autoclosure () -> String) throws(WireError) {
        self.init(code: c.pointee.code, message: try Unpacked.string(c.pointee.message, "\(field()).message"))
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(wireBytes, rpc__status__descriptor, unpack: { rpc__status__unpack(nil, $0, $1) }) {
            (c) throws(WireError) in try RPCStatus(unpacked: c, field: "Status")
        }
    }

    package func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}
