internal import CXDSProto

/// Rejects input whose sub-messages nest deeper than `maxDepth`, before protobuf-c (which recurses
/// without a limit) sees it.
///
/// It walks the wire format iteratively with an explicit stack, descending only into fields the
/// schema declares as messages (so a string that happens to look like protobuf does not count).
/// Anything else that is wrong with the bytes is left for protobuf-c to report.
enum NestingLimit {
    /// The official protobuf runtimes' default recursion limit. Envoy's deepest message here
    /// (Cluster → load_assignment → … → socket_address) nests 7 levels.
    static let maxDepth = 100

    static func check(
        _ bytes: UnsafeBufferPointer<UInt8>, _ root: UnsafePointer<ProtobufCMessageDescriptor>
    ) throws(WireError) {
        var stack: [(descriptor: UnsafePointer<ProtobufCMessageDescriptor>, end: Int)] = [(root, bytes.count)]
        var position = 0

        /// A varint that ends before `limit` (the end of the enclosing message), else nil.
        func varint(before limit: Int) -> UInt64? {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < limit, shift < 64 {
                let byte = bytes[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte & 0x80 == 0 { return value }
                shift += 7
            }
            return nil
        }

        while let (descriptor, end) = stack.last {
            if position >= end {
                stack.removeLast()
                continue
            }
            guard let tag = varint(before: end) else { return }
            switch tag & 7 {
            case 0: guard varint(before: end) != nil else { return }
            case 1: position += 8
            case 5: position += 4
            case 2:
                guard let length = varint(before: end), length <= UInt64(end - position) else { return }
                let fieldEnd = position + Int(length)
                let number = tag >> 3
                if number <= UInt64(UInt32.max),
                    let field = protobuf_c_message_descriptor_get_field(descriptor, UInt32(number)),
                    field.pointee.type == PROTOBUF_C_TYPE_MESSAGE,
                    let sub = field.pointee.descriptor
                {
                    guard stack.count < maxDepth else {
                        let name = String(cString: root.pointee.name)
                        throw WireError.malformed("\(name) nests messages deeper than \(maxDepth)")
                    }
                    stack.append((sub.assumingMemoryBound(to: ProtobufCMessageDescriptor.self), fieldEnd))
                } else {
                    position = fieldEnd
                }
            default: return  // groups and invalid wire types: protobuf-c rejects them
            }
        }
    }
}
