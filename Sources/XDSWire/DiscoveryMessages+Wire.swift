internal import CXDSProto
import XDSModel

// envoy.service.discovery.v3.DiscoveryRequest / DiscoveryResponse: the state-of-the-world ADS
// envelopes.

extension DiscoveryRequest: WireMessage {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Discovery__DiscoveryRequest> {
        arena.new(discovery__discovery_request__init) {
            $0.version_info = arena.cString(versionInfo.rawValue)
            $0.node = node?.build(in: arena)
            $0.n_resource_names = resourceNames.count
            $0.resource_names = arena.strings(resourceNames)
            $0.type_url = arena.cString(typeURL.rawValue)
            $0.response_nonce = arena.cString(responseNonce.rawValue)
            $0.error_detail = errorDetail?.build(in: arena)
        }
    }

    init(unpacked p: UnsafePointer<Discovery__DiscoveryRequest>) throws(WireError) {
        let r = p.pointee
        self.init(
            versionInfo: ResourceVersion(try Unpacked.string(r.version_info, "DiscoveryRequest.version_info")),
            node: try r.node.map { (n) throws(WireError) in try Node(unpacked: n, field: "DiscoveryRequest.node") },
            resourceNames: try Unpacked.strings(r.n_resource_names, r.resource_names, "DiscoveryRequest.resource_names"),
            typeURL: TypeURL(try Unpacked.string(r.type_url, "DiscoveryRequest.type_url")),
            responseNonce: Nonce(try Unpacked.string(r.response_nonce, "DiscoveryRequest.response_nonce")),
            errorDetail: try r.error_detail.map { (s) throws(WireError) in
                try RPCStatus(unpacked: s, field: "DiscoveryRequest.error_detail")
            })
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(
            wireBytes, discovery__discovery_request__descriptor,
            unpack: { discovery__discovery_request__unpack(nil, $0, $1) }
        ) { (p) throws(WireError) in try DiscoveryRequest(unpacked: p) }
    }

    public func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}

extension DiscoveryResponse: WireMessage {
    /// The resources are already-encoded `Any`s: their bytes are copied into the envelope as they
    /// are, never decoded or re-encoded, so one encoding per resource version serves every stream.
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Discovery__DiscoveryResponse> {
        arena.new(discovery__discovery_response__init) {
            $0.version_info = arena.cString(versionInfo.rawValue)
            $0.n_resources = resources.count
            $0.resources = arena.pointers(resources) { $0.build(in: arena) }
            $0.type_url = arena.cString(typeURL.rawValue)
            $0.nonce = arena.cString(nonce.rawValue)
            // istiod identifies itself here; an empty identifier is sent as no control_plane.
            if !controlPlaneIdentifier.isEmpty {
                let identifier = arena.cString(controlPlaneIdentifier)
                $0.control_plane = arena.new(core__control_plane__init) { $0.identifier = identifier }
            }
        }
    }

    init(unpacked p: UnsafePointer<Discovery__DiscoveryResponse>) throws(WireError) {
        let r = p.pointee
        self.init(
            versionInfo: ResourceVersion(try Unpacked.string(r.version_info, "DiscoveryResponse.version_info")),
            resources: try Unpacked.elements(r.n_resources, r.resources, "DiscoveryResponse.resources") {
                (a) throws(WireError) in try AnyMessage(unpacked: a, field: "DiscoveryResponse.resources")
            },
            typeURL: TypeURL(try Unpacked.string(r.type_url, "DiscoveryResponse.type_url")),
            nonce: Nonce(try Unpacked.string(r.nonce, "DiscoveryResponse.nonce")),
            controlPlaneIdentifier: try Unpacked.string(
                r.control_plane?.pointee.identifier, "DiscoveryResponse.control_plane.identifier"))
    }

    public init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(
            wireBytes, discovery__discovery_response__descriptor,
            unpack: { discovery__discovery_response__unpack(nil, $0, $1) }
        ) { (p) throws(WireError) in try DiscoveryResponse(unpacked: p) }
    }

    public func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}
