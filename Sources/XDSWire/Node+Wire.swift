internal import CXDSProto
import XDSModel

// envoy.config.core.v3.Node and Locality: sent by the proxy on (at least) the first request of a
// stream; Envoy 1.40 sends it on every request.

extension Locality {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Core__Locality> {
        arena.new(core__locality__init) {
            $0.region = arena.cString(region)
            $0.zone = arena.cString(zone)
            $0.sub_zone = arena.cString(subZone)
        }
    }

    init(unpacked c: UnsafePointer<Core__Locality>, field: @autoclosure () -> String) throws(WireError) {
        self.init(
            region: try Unpacked.string(c.pointee.region, "\(field()).region"),
            zone: try Unpacked.string(c.pointee.zone, "\(field()).zone"),
            subZone: try Unpacked.string(c.pointee.sub_zone, "\(field()).sub_zone"))
    }
}

extension Node: WireMessage {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Core__Node> {
        arena.new(core__node__init) {
            $0.id = arena.cString(id)
            $0.cluster = arena.cString(cluster)
            // Empty metadata is sent as absent, the way Envoy sends a node without metadata.
            if !metadata.isEmpty { $0.metadata = ProtoStruct.build(metadata, in: arena) }
            $0.locality = locality?.build(in: arena)
            $0.user_agent_name = arena.cString(userAgentName)
        }
    }

    init(unpacked c: UnsafePointer<Core__Node>, field: @autoclosure () -> String) throws(WireError) {
        let n = c.pointee
        self.init(
            id: try Unpacked.string(n.id, "\(field()).id"),
            cluster: try Unpacked.string(n.cluster, "\(field()).cluster"),
            metadata: try n.metadata.map { (m) throws(WireError) in
                try ProtoStruct.fields(unpacked: m, field: "\(field()).metadata")
            } ?? [:],
            locality: try n.locality.map { (l) throws(WireError) in
                try Locality(unpacked: l, field: "\(field()).locality")
            },
            userAgentName: try Unpacked.string(n.user_agent_name, "\(field()).user_agent_name"))
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(wireBytes, core__node__descriptor, unpack: { core__node__unpack(nil, $0, $1) }) {
            (c) throws(WireError) in try Node(unpacked: c, field: "Node")
        }
    }

    package func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}
