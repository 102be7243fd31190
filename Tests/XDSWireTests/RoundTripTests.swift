import Testing
import XDSModel
import XDSWire

/// encode → decode gives back the same value, for every message XDSWire handles.
@Suite struct RoundTripTests {
    @Test(arguments: WireFixtures.all.filter(\.encodes))
    func fixtureRoundTrips(_ c: WireCase) {
        let difference = c.decodeAndCompare(c.encode())
        #expect(difference == nil, "\(c.name): \(difference ?? "")")
    }

    @Test(arguments: [Cluster.DiscoveryType.static, .strictDNS, .logicalDNS, .eds, .originalDestination])
    func everyDiscoveryTypeRoundTrips(_ type: Cluster.DiscoveryType) throws {
        let c = Cluster(name: "c", type: type, connectTimeout: nil)
        #expect(try Cluster(wireBytes: c.wireBytes()) == c)
    }

    @Test(arguments: [Cluster.LbPolicy.roundRobin, .leastRequest, .ringHash, .random, .maglev, .clusterProvided])
    func everyLbPolicyRoundTrips(_ policy: Cluster.LbPolicy) throws {
        let c = Cluster(name: "c", lbPolicy: policy)
        #expect(try Cluster(wireBytes: c.wireBytes()) == c)
    }

    @Test(arguments: [HealthStatus.unknown, .healthy, .unhealthy, .draining, .timeout, .degraded])
    func everyHealthStatusRoundTrips(_ status: HealthStatus) throws {
        let a = ClusterLoadAssignment(
            clusterName: "c",
            endpoints: [LocalityLbEndpoints(lbEndpoints: [
                LbEndpoint(address: SocketAddress(address: "::1", portValue: 1), healthStatus: status)
            ])])
        #expect(try ClusterLoadAssignment(wireBytes: a.wireBytes()) == a)
    }

    @Test func staticClusterKeepsAnEDSServiceNameIfGiven() throws {
        let c = Cluster(name: "c", type: .static, edsServiceName: "odd-but-kept")
        #expect(try Cluster(wireBytes: c.wireBytes()) == c)
    }

    @Test func emptyInputIsTheDefaultMessage() throws {
        // Proto3: zero bytes is a valid message with every field at its default.
        #expect(try DiscoveryRequest(wireBytes: []) == DiscoveryRequest(typeURL: TypeURL("")))
        #expect(try Cluster(wireBytes: []) == Cluster(name: "", type: .static, connectTimeout: nil))
        #expect(try ProtoStruct(wireBytes: []) == ProtoStruct([:]))
    }

    @Test func deepButAllowedMetadataRoundTrips() throws {
        // 30 levels of Struct are 90 nested messages (Value, Struct, FieldsEntry): under the limit.
        var value = MetadataValue.string("leaf")
        for _ in 0..<30 { value = .structure(["k": value]) }
        #expect(try MetadataValue(wireBytes: value.wireBytes()) == value)
    }

    @Test func encodingIsDeterministic() {
        // Dictionaries iterate in a per-process random order; the bytes must not.
        let a = ProtoStruct(Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", MetadataValue.number(Double($0))) }))
        let b = ProtoStruct(Dictionary(uniqueKeysWithValues: (0..<50).reversed().map { ("k\($0)", MetadataValue.number(Double($0))) }))
        #expect(a.wireBytes() == b.wireBytes())
    }

    @Test func resourcesTravelAsEncodedOnce() throws {
        // The push core encodes a resource once and reuses the bytes in every response.
        let encoded = XDSResource.cluster(WireFixtures.clusterEDS).encoded(version: ResourceVersion("v1"))
        #expect(encoded.bytes == WireFixtures.clusterEDS.wireBytes())
        #expect(encoded.typeURL == .cluster)
        #expect(XDSResource.endpoint(WireFixtures.claFull).wireBytes() == WireFixtures.claFull.wireBytes())
        let response = DiscoveryResponse(
            versionInfo: ResourceVersion("v1"), resources: [encoded.anyMessage], typeURL: .cluster, nonce: Nonce("1"))
        let decoded = try DiscoveryResponse(wireBytes: response.wireBytes())
        #expect(decoded.resources.map(\.value) == [encoded.bytes])
        #expect(try XDSResource(unpacking: decoded.resources[0]) == .cluster(WireFixtures.clusterEDS))
        #expect(try decoded.resources[0].unpack(Cluster.self) == WireFixtures.clusterEDS)
    }
}
