import Testing
import XDSModel
import XDSWire

/// Bad input is data: every decoder throws WireError and never traps.
@Suite struct MalformedInputTests {
    /// Every decoder, type-erased: returns the error, or nil when the bytes decoded.
    static let decoders: [(String, @Sendable ([UInt8]) -> WireError?)] = [
        decoder(DiscoveryRequest.self), decoder(DiscoveryResponse.self), decoder(DeltaDiscoveryRequest.self),
        decoder(DeltaDiscoveryResponse.self), decoder(Cluster.self), decoder(ClusterLoadAssignment.self),
        decoder(Node.self), decoder(AnyMessage.self), decoder(ProtoStruct.self), decoder(MetadataValue.self),
        decoder(ProtoDuration.self), decoder(ProtoUInt32Value.self), decoder(RPCStatus.self),
    ]

    static func decoder<M: WireMessage & Sendable>(_ type: M.Type) -> (String, @Sendable ([UInt8]) -> WireError?) {
        ("\(M.self)", { bytes in
            do throws(WireError) {
                _ = try M(wireBytes: bytes)
                return nil
            } catch { return error }
        })
    }

    /// Inputs that are not protobuf for any message: each decoder must throw `.malformed`.
    static let invalidEverywhere: [(String, [UInt8])] = [
        ("unterminated varint tag", [0xFF]),
        ("field number 0", [0x00, 0x01]),
        ("tag without its varint", [0x08]),
        ("length past the end", [0x0A, 0x05, 0x61]),
        ("huge length", [0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00]),
        ("start-group wire type", [0x0B, 0x0C]),
        ("fixed64 cut short", [0x09, 0x01, 0x02]),
        ("ten-byte varint overflow", [0x08] + [UInt8](repeating: 0xFF, count: 11)),
    ]

    @Test(arguments: invalidEverywhere)
    func invalidProtobufThrowsForEveryDecoder(_ input: (String, [UInt8])) {
        for (name, decode) in Self.decoders {
            let error = decode(input.1)
            #expect(error?.code == .malformed, "\(name) on \(input.0): \(String(describing: error))")
        }
    }

    @Test func everyTruncationOfEveryFixtureThrowsOrDecodes() {
        // Cutting a valid encoding anywhere must never trap; cutting inside a length-delimited
        // field must throw. The last byte of these fixtures is inside a string or message, so
        // dropping it is always invalid.
        for c in WireFixtures.all where c.encodes {
            let bytes = c.encode()
            for cut in 0..<bytes.count { _ = c.decodeAndCompare(Array(bytes[..<cut])) }
            let lastByteDropped = c.decodeAndCompare(Array(bytes.dropLast()))
            #expect(lastByteDropped != nil, "\(c.name): decoded with its last byte dropped")
        }
    }

    /// Deterministic pseudo-random numbers (SplitMix64), so a failure reproduces.
    struct SplitMix64 {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    }

    @Test func randomBytesNeverTrap() {
        var random = SplitMix64(state: 0x5EED_0F_C0FFEE)
        var thrown = 0
        for _ in 0..<3000 {
            let bytes = (0..<random.below(96)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            for (_, decode) in Self.decoders where decode(bytes) != nil { thrown += 1 }
        }
        // Most random inputs are not protobuf; if nearly none throw, the decoders accept garbage.
        #expect(thrown > 3000 * Self.decoders.count / 2)
    }

    @Test func mutatedFixturesNeverTrap() {
        // Valid encodings with a byte flipped, inserted or removed reach much deeper into the
        // decoders than random bytes do. Each must decode or throw; never trap.
        var random = SplitMix64(state: 0xF122_7A11)
        for c in WireFixtures.all where c.encodes {
            let original = c.encode()
            for _ in 0..<400 {
                var bytes = original
                for _ in 0...random.below(3) {
                    let at = random.below(bytes.count + 1)
                    let byte = UInt8(truncatingIfNeeded: random.next())
                    switch random.below(3) {
                    case 0 where at < bytes.count: bytes[at] = byte
                    case 1: bytes.insert(byte, at: at)
                    default: if at < bytes.count { bytes.remove(at: at) }
                    }
                }
                _ = c.decodeAndCompare(bytes)
                for (_, decode) in Self.decoders { _ = decode(bytes) }
            }
        }
    }

    @Test func invalidUTF8InAStringIsMalformed() {
        let bytes: [UInt8] = [0x0A, 0x02, 0xC3, 0x28]  // Cluster.name = C3 28
        #expect(throws: WireError.self) { try Cluster(wireBytes: bytes) }
        #expect((try? Node(wireBytes: bytes)) == nil)
    }

    @Test func wrongWireTypeForAKnownFieldIsMalformed() {
        // Cluster.name (a string, field 1) sent as a varint.
        #expect(throws: WireError.self) { try Cluster(wireBytes: [0x08, 0x01]) }
    }

    @Test func unknownEnumValuesAreUnsupported() {
        // Cluster.type = 42 (field 2), Cluster.lb_policy = 7 (LOAD_BALANCING_POLICY_CONFIG, not modelled).
        #expect(code { try Cluster(wireBytes: [0x10, 42]) } == .unsupported)
        #expect(code { try Cluster(wireBytes: [0x30, 7]) } == .unsupported)
        // LbEndpoint.health_status = 9.
        let lbEndpoint: [UInt8] = [0x0A, 0x04, 0x0A, 0x02, 0x0A, 0x00, 0x10, 9]
        let locality: [UInt8] = [0x12, UInt8(lbEndpoint.count)] + lbEndpoint
        #expect(code { try ClusterLoadAssignment(wireBytes: [0x12, UInt8(locality.count)] + locality) } == .unsupported)
    }

    @Test func anEndpointWithoutAnAddressIsRejected() {
        // ClusterLoadAssignment.endpoints[0].lb_endpoints[0] = LbEndpoint{} (no endpoint).
        #expect(code { try ClusterLoadAssignment(wireBytes: [0x12, 0x02, 0x12, 0x00]) } == .unsupported)
    }

    @Test func anyOfTheWrongTypeIsUnexpectedType() {
        let any = AnyMessage(packing: WireFixtures.claFull)
        #expect(code { try any.unpack(Cluster.self) } == .unexpectedType)
        #expect(code { try XDSResource(unpacking: AnyMessage(typeURL: "type.googleapis.com/x.Y", value: [])) } == .unexpectedType)
    }

    @Test func http2OptionsOfTheWrongTypeAreUnexpectedType() {
        // typed_extension_protocol_options["…HttpProtocolOptions"] = Any(type_url "t/x").
        let key = Array("envoy.extensions.upstreams.http.v3.HttpProtocolOptions".utf8)
        let any: [UInt8] = [0x0A, 0x03] + Array("t/x".utf8)
        let entry: [UInt8] = [0x0A, UInt8(key.count)] + key + [0x12, UInt8(any.count)] + any
        let cluster: [UInt8] = [0xA2, 0x02, UInt8(entry.count)] + entry  // field 36, wire type 2
        #expect(code { try Cluster(wireBytes: cluster) } == .unexpectedType)
    }

    @Test func metadataNestedTooDeepIsMalformed() {
        // 60 lists are 120 nested messages (Value, ListValue): over the limit of 100.
        var value = MetadataValue.null
        for _ in 0..<60 { value = .list([value]) }
        let bytes = value.wireBytes()
        #expect(code { try MetadataValue(wireBytes: bytes) } == .malformed)
        #expect(code { try Node(wireBytes: Node(id: "n", metadata: ["deep": value]).wireBytes()) } == .malformed)
    }

    @Test func hugeNestingThrowsInsteadOfOverflowingTheStack() {
        // 100,000 nested Value/ListValue pairs (~800 KB, under gRPC's 4 MiB message limit): without
        // NestingLimit, protobuf-c's recursive unpack crashed at 10,000.
        let bytes = Self.nestedLists(depth: 100_000)
        #expect(code { try MetadataValue(wireBytes: bytes) } == .malformed)
        // The same bytes as a Node's metadata struct value: Node{metadata{fields{"k": <bytes>}}}.
        let entry = [0x0A, 0x01, 0x6B, 0x12] + Self.varint(bytes.count) + bytes
        let metadata = [0x0A] + Self.varint(entry.count) + entry
        #expect(code { try Node(wireBytes: [0x1A] + Self.varint(metadata.count) + metadata) } == .malformed)
    }

    static func varint(_ n: Int) -> [UInt8] {
        var v = UInt64(n)
        var out: [UInt8] = []
        while v >= 0x80 {
            out.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
        return out
    }

    /// Value{list_value{values{Value{list_value{…}}}}}, `depth` times, built outside-in in one pass.
    static func nestedLists(depth: Int) -> [UInt8] {
        var sizes = [0]  // sizes[i]: encoded size of the Value at level i (0: the innermost, empty)
        for _ in 0..<depth {
            let list = 1 + varint(sizes.last!).count + sizes.last!
            sizes.append(1 + varint(list).count + list)
        }
        var out: [UInt8] = []
        out.reserveCapacity(sizes.last!)
        for level in stride(from: depth, to: 0, by: -1) {
            let inner = sizes[level - 1]
            out += [0x32] + varint(1 + varint(inner).count + inner) + [0x0A] + varint(inner)
        }
        return out
    }

    /// The WireError code `body` throws; nil if it returned (or threw something else).
    private func code<T>(_ body: () throws -> T) -> WireError.Code? {
        do {
            _ = try body()
            return nil
        } catch { return (error as? WireError)?.code }
    }
}
