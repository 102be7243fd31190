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
        var cursor = WireCursor(bytes)

        while let (descriptor, end) = stack.last {
            if cursor.position >= end {
                stack.removeLast()
                continue
            }
            // Anything malformed (groups and invalid wire types included): protobuf-c rejects it.
            guard let field = cursor.nextField(before: end) else { return }
            guard let payload = field.payload else { continue }
            if field.number <= UInt64(UInt32.max),
                let declared = protobuf_c_message_descriptor_get_field(descriptor, UInt32(field.number)),
                declared.pointee.type == PROTOBUF_C_TYPE_MESSAGE,
                let sub = declared.pointee.descriptor
            {
                guard stack.count < maxDepth else {
                    let name = String(cString: root.pointee.name)
                    throw WireError.malformed("\(name) nests messages deeper than \(maxDepth)")
                }
                stack.append((sub.assumingMemoryBound(to: ProtobufCMessageDescriptor.self), payload.upperBound))
            } else {
                cursor.position = payload.upperBound
            }
        }
    }
}
