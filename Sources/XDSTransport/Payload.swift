internal import CGRPCShim

/// Encoded message bytes held once in a refcounted gRPC slice.
///
/// Sending one `Payload` to N calls refs the slice N times (`grpc_raw_byte_buffer_create`) instead
/// of copying the bytes N times: this is how one encoded xDS response fans out to thousands of
/// streams. Immutable, so safe to share across threads.
///
/// Ownership: the payload owns one slice reference, released in `deinit`; each send in flight holds
/// its own reference inside gRPC, so a payload may be dropped right after `send`.
public final class Payload: Sendable {
    /// `CGRPCShim_payload*`; written once in `init`, freed in `deinit`.
    nonisolated(unsafe) let handle: OpaquePointer
    /// The number of bytes.
    package let count: Int

    /// Copies `bytes` into a new slice.
    public init(_ bytes: [UInt8]) {
        GRPCRuntime.initialize()
        handle = bytes.withUnsafeBytes { CGRPCShim_payload_create($0.baseAddress, $0.count) }
        count = bytes.count
    }

    /// A copy of the bytes (for tests and diagnostics; sending never copies).
    package var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            CGRPCShim_payload_copy(handle, buffer.baseAddress)
            initialized = count
        }
    }

    deinit { CGRPCShim_payload_destroy(handle) }
}
