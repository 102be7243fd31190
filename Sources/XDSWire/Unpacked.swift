internal import CXDSProto

/// Decoding: protobuf-c unpacks into its own allocations; this is the one place they are released.
enum Unpacked {
    /// Unpacks `bytes` with a generated `*__unpack` function, lets `read` copy what it needs into
    /// Swift values, then frees the C tree (`protobuf_c_message_free_unpacked`) whether `read`
    /// returned or threw. No pointer may escape `read`. `descriptor` is the message's generated
    /// descriptor: it names the message in errors and drives the nesting check.
    static func read<M, R>(
        _ bytes: [UInt8], _ descriptor: ProtobufCMessageDescriptor,
        unpack: (Int, UnsafePointer<UInt8>?) -> UnsafeMutablePointer<M>?,
        _ read: (UnsafePointer<M>) throws(WireError) -> R
    ) throws(WireError) -> R {
        let unpacked: UnsafeMutablePointer<M>? = try bytes.withUnsafeBufferPointer { (buffer) throws(WireError) in
            // protobuf-c recurses once per nested message, without a limit: a few hundred KiB of
            // nested garbage overflows the stack (measured: a crash at 10,000 levels). Check first.
            try withUnsafePointer(to: descriptor) { (root) throws(WireError) in
                try NestingLimit.check(buffer, root)
            }
            // protobuf-c returns NULL for anything it cannot parse (bad tag, truncated length,
            // wrong wire type for a known field), so garbage becomes an error here, not a crash.
            return unpack(buffer.count, buffer.baseAddress)
        }
        guard let message = unpacked else {
            throw WireError.malformed("not a valid \(String(cString: descriptor.name)) (\(bytes.count) bytes)")
        }
        defer {
            protobuf_c_message_free_unpacked(
                UnsafeMutableRawPointer(message).assumingMemoryBound(to: ProtobufCMessage.self), nil)
        }
        return try read(UnsafePointer(message))
    }

    /// A string field. protobuf-c does not check UTF-8, protobuf does (proto3 strings must be
    /// UTF-8): invalid bytes are rejected rather than silently repaired.
    static func string(_ p: UnsafePointer<CChar>?, _ field: @autoclosure () -> String) throws(WireError) -> String {
        guard let p else { return "" }
        guard let s = String(validatingCString: p) else {
            throw WireError.malformed("\(field()) is not valid UTF-8")
        }
        return s
    }

    /// A repeated field (`n_xxx` + `T **`), element by element.
    static func elements<T, R>(
        _ count: Int, _ array: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?, _ field: @autoclosure () -> String,
        _ read: (UnsafePointer<T>) throws(WireError) -> R
    ) throws(WireError) -> [R] {
        guard count > 0 else { return [] }
        guard let array else { throw WireError.malformed("\(field()) has \(count) elements but no storage") }
        var result: [R] = []
        result.reserveCapacity(count)
        for i in 0..<count {
            guard let element = array[i] else { throw WireError.malformed("\(field())[\(i)] is null") }
            result.append(try read(UnsafePointer(element)))
        }
        return result
    }

    /// Repeated strings.
    static func strings(
        _ count: Int, _ array: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ field: @autoclosure () -> String
    ) throws(WireError) -> [String] {
        try elements(count, array, field()) { (p) throws(WireError) in try string(p, field()) }
    }

    /// A `bytes` field, copied out of the C tree.
    static func bytes(_ data: ProtobufCBinaryData) -> [UInt8] {
        guard data.len > 0, let base = data.data else { return [] }
        return Array(UnsafeBufferPointer(start: base, count: data.len))
    }
}
