internal import CXDSProto
import XDSModel

// envoy.config.endpoint.v3.ClusterLoadAssignment and its parts (LocalityLbEndpoints, LbEndpoint,
// Endpoint, Address/SocketAddress): the EDS resource, and the inline `load_assignment` of a
// STATIC cluster such as the bootstrap's `xds-grpc`.

extension ClusterLoadAssignment {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Endpoint__ClusterLoadAssignment> {
        arena.new(endpoint__cluster_load_assignment__init) {
            $0.cluster_name = arena.cString(clusterName)
            $0.n_endpoints = endpoints.count
            $0.endpoints = arena.pointers(endpoints) { $0.build(in: arena) }
        }
    }

    init(unpacked c: UnsafePointer<Endpoint__ClusterLoadAssignment>, field: @autoclosure () -> String) throws(WireError) {
        let a = c.pointee
        self.init(
            clusterName: try Unpacked.string(a.cluster_name, "\(field()).cluster_name"),
            endpoints: try Unpacked.elements(a.n_endpoints, a.endpoints, "\(field()).endpoints") {
                (e) throws(WireError) in try LocalityLbEndpoints(unpacked: e, field: "\(field()).endpoints")
            })
    }

    package init(wireBytes: [UInt8]) throws(WireError) {
        self = try Unpacked.read(
            wireBytes, endpoint__cluster_load_assignment__descriptor,
            unpack: { endpoint__cluster_load_assignment__unpack(nil, $0, $1) }
        ) { (c) throws(WireError) in try ClusterLoadAssignment(unpacked: c, field: "ClusterLoadAssignment") }
    }

    public func wireBytes() -> [UInt8] { EncodeArena.pack { build(in: $0) } }
}

extension LocalityLbEndpoints {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Endpoint__LocalityLbEndpoints> {
        arena.new(endpoint__locality_lb_endpoints__init) {
            $0.locality = locality?.build(in: arena)
            $0.n_lb_endpoints = lbEndpoints.count
            $0.lb_endpoints = arena.pointers(lbEndpoints) { $0.build(in: arena) }
            $0.load_balancing_weight = loadBalancingWeight.map { ProtoUInt32Value.build($0, in: arena) }
            $0.priority = priority
        }
    }

    init(unpacked c: UnsafePointer<Endpoint__LocalityLbEndpoints>, field: @autoclosure () -> String) throws(WireError) {
        let l = c.pointee
        self.init(
            locality: try l.locality.map { (p) throws(WireError) in try Locality(unpacked: p, field: "\(field()).locality") },
            lbEndpoints: try Unpacked.elements(l.n_lb_endpoints, l.lb_endpoints, "\(field()).lb_endpoints") {
                (e) throws(WireError) in try LbEndpoint(unpacked: e, field: "\(field()).lb_endpoints")
            },
            loadBalancingWeight: l.load_balancing_weight?.pointee.value,
            priority: l.priority)
    }
}

extension LbEndpoint {
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Endpoint__LbEndpoint> {
        let endpoint = arena.new(endpoint__endpoint__init) {
            $0.address = address.build(in: arena)
            $0.hostname = arena.cString(hostname)
        }
        return arena.new(endpoint__lb_endpoint__init) {
            $0.host_identifier_case = ENDPOINT__LB_ENDPOINT__HOST_IDENTIFIER_ENDPOINT
            $0.endpoint = endpoint
            $0.health_status = Core__HealthStatus(rawValue: numericCast(healthStatus.rawValue))
            $0.load_balancing_weight = loadBalancingWeight.map { ProtoUInt32Value.build($0, in: arena) }
        }
    }

    init(unpacked c: UnsafePointer<Endpoint__LbEndpoint>, field: @autoclosure () -> String) throws(WireError) {
        let l = c.pointee
        // `endpoint_name` (a LEDS reference) is not modelled: an LbEndpoint must carry its Endpoint.
        guard l.host_identifier_case == ENDPOINT__LB_ENDPOINT__HOST_IDENTIFIER_ENDPOINT, let endpoint = l.endpoint else {
            throw WireError.unsupported("\(field()) has no endpoint")
        }
        guard let address = endpoint.pointee.address else {
            throw WireError.malformed("\(field()).endpoint has no address")
        }
        let status = Int32(truncatingIfNeeded: l.health_status.rawValue)
        guard let healthStatus = HealthStatus(rawValue: status) else {
            throw WireError.unsupported("\(field()).health_status \(status) is not a known HealthStatus")
        }
        self.init(
            address: try SocketAddress(unpacked: address, field: "\(field()).endpoint.address"),
            hostname: try Unpacked.string(endpoint.pointee.hostname, "\(field()).endpoint.hostname"),
            healthStatus: healthStatus,
            loadBalancingWeight: l.load_balancing_weight?.pointee.value)
    }
}

extension SocketAddress {
    /// The `envoy.config.core.v3.Address` wrapping this socket address (TCP, numeric port).
    func build(in arena: EncodeArena) -> UnsafeMutablePointer<Core__Address> {
        let socket = arena.new(core__socket_address__init) {
            $0.address = arena.cString(address)
            $0.port_specifier_case = CORE__SOCKET_ADDRESS__PORT_SPECIFIER_PORT_VALUE
            $0.port_value = portValue
        }
        return arena.new(core__address__init) {
            $0.address_case = CORE__ADDRESS__ADDRESS_SOCKET_ADDRESS
            $0.socket_address = socket
        }
    }

    init(unpacked c: UnsafePointer<Core__Address>, field: @autoclosure () -> String) throws(WireError) {
        // Pipes and internal addresses are valid Envoy addresses that this emulator never uses.
        guard c.pointee.address_case == CORE__ADDRESS__ADDRESS_SOCKET_ADDRESS, let socket = c.pointee.socket_address else {
            throw WireError.unsupported("\(field()) is not a socket_address")
        }
        let s = socket.pointee
        // A named port (or none) reads as port 0: only numeric ports are modelled.
        let port = s.port_specifier_case == CORE__SOCKET_ADDRESS__PORT_SPECIFIER_PORT_VALUE ? s.port_value : 0
        self.init(address: try Unpacked.string(s.address, "\(field()).socket_address.address"), portValue: port)
    }
}
