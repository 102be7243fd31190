internal import CXDSProto
import XDSModel

// envoy.service.discovery.v3.DeltaDiscoveryRequest / DeltaDiscoveryResponse / Resource: the
// incremental ADS envelopes.

extension DeltaDiscoveryRequest: WireMessage {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Discovery__DeltaDiscoveryRequest> {
        // Sorted so that equal requests encode to equal bytes.
        let versions = initialResourceVersions.sorted { $0.key < $1.key }
        return arena.new(discovery__delta_discovery_request__init) {
            $0.node = node?.build(in: arena)
            $0.type_url = arena.cString(typeURL.rawValue)
            $0.n_resource_names_subscribe = resourceNamesSubscribe.count
            $0.resource_names_subscribe = arena.strings(resourceNamesSubscribe)
            $0.n_resource_names_unsubscribe = resourceNamesUnsubscribe.count
            $0.resource_names_unsubscribe = arena.strings(resourceNamesUnsubscribe)
            $0.n_initial_resource_versions = versions.count
            $0.initial_resource_versions = arena.pointers(versions) { entry in
                arena.new(discovery__delta_discovery_request__initial_resource_versions_entry__init) {
                    $0.key = arena.cString(entry.key)
                    $0.value = arena.cString(entry.value)
                }
            }
            $0.response_nonce = arena.cString(responseNonce.rawValue)
            $0.error_detail = errorDetail?.build(in: arena)
        }
    }

    init(unpacked p: UnsafePointer<Discovery__DeltaDiscoveryRequest>) throws(WireError) {
        let r = p.pointee
        let mapField = "DeltaDiscoveryRequest.initial_resource_versions"
        let versions = try Unpacked.elements(r.n_initial_resource_versions, r.initial_resource_versions, mapField) {
            (e) throws(WireError) in
            (try Unpacked.string(e.pointee.key, mapField), try Unpacked.string(e.pointee.value, mapField))
        }
        self.init(
            node: try r.node.map { (n) throws(WireError) in try Node(unpacked: n, field: "DeltaDiscoveryRequest.node") },
            typeURL: TypeURL(try Unpacked.string(r.type_url, "DeltaDiscoveryRequest.type_url")),
            resourceNamesSubscribe: try Unpacked.strings(
                r.n_resource_names_subscribe, r.resource_names_subscribe, "DeltaDiscoveryRequest.resource_names_subscribe"),
            resourceNamesUnsubscribe: try Unpacked.strings(
                r.n_resource_names_unsubscribe, r.resource_names_unsubscribe, "DeltaDiscoveryRequest.resource_names_unsubscribe"),
            // Protobuf maps: the last entry for a key wins.
            initialResourceVersions: Dictionary(versions, uniquingKeysWith: { _, last in last }),
            responseNonce: Nonce(try Unpacked.string(r.response_nonce, "DeltaDiscoveryRequest.response_nonce")),
            errorDetail: try r.error_detail.map { (s) throws(WireError) in
                try RPCStatus(unpacked: s, field: "DeltaDiscoveryRequest.error_detail")
            })
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(
            wireBytes, discovery__delta_discovery_request__descriptor,
            unpack: { discovery__delta_discovery_request__unpack(nil, $0, $1) }
        ) { (p) throws(WireError) in try DeltaDiscoveryRequest(unpacked: p) }
    }

    package func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}

extension DeltaResource {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Discovery__Resource> {
        arena.new(discovery__resource__init) {
            $0.version = arena.cString(version.rawValue)
            $0.resource = resource?.build(in: arena)
            $0.name = arena.cString(name)
        }
    }

    init(unpacked p: UnsafePointer<Discovery__Resource>, field: @autoclosure () -> String) throws(WireError) {
        let r = p.pointee
        self.init(
            name: try Unpacked.string(r.name, "\(field()).name"),
            version: ResourceVersion(try Unpacked.string(r.version, "\(field()).version")),
            resource: try r.resource.map { (a) throws(WireError) in try AnyMessage(unpacked: a, field: "\(field()).resource") })
    }
}

extension DeltaDiscoveryResponse: WireMessage {
    /// As for DiscoveryResponse, resource bytes are carried as they are, not re-encoded.
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Discovery__DeltaDiscoveryResponse> {
        arena.new(discovery__delta_discovery_response__init) {
            $0.system_version_info = arena.cString(systemVersionInfo)
            $0.n_resources = resources.count
            $0.resources = arena.pointers(resources) { $0.build(in: arena) }
            $0.type_url = arena.cString(typeURL.rawValue)
            $0.nonce = arena.cString(nonce.rawValue)
            $0.n_removed_resources = removedResources.count
            $0.removed_resources = arena.strings(removedResources)
        }
    }

    init(unpacked p: UnsafePointer<Discovery__DeltaDiscoveryResponse>) throws(WireError) {
        let r = p.pointee
        self.init(
            systemVersionInfo: try Unpacked.string(r.system_version_info, "DeltaDiscoveryResponse.system_version_info"),
            resources: try Unpacked.elements(r.n_resources, r.resources, "DeltaDiscoveryResponse.resources") {
                (e) throws(WireError) in try DeltaResource(unpacked: e, field: "DeltaDiscoveryResponse.resources")
            },
            typeURL: TypeURL(try Unpacked.string(r.type_url, "DeltaDiscoveryResponse.type_url")),
            removedResources: try Unpacked.strings(
                r.n_removed_resources, r.removed_resources, "DeltaDiscoveryResponse.removed_resources"),
            nonce: Nonce(try Unpacked.string(r.nonce, "DeltaDiscoveryResponse.nonce")))
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(
            wireBytes, discovery__delta_discovery_response__descriptor,
            unpack: { discovery__delta_discovery_response__unpack(nil, $0, $1) }
        ) { (p) throws(WireError) in try DeltaDiscoveryResponse(unpacked: p) }
    }

    public func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}
