internal import CXDSProto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns every C allocation made while building one protobuf-c message tree for packing.
///
/// Ownership: the message structs, strings, byte buffers and pointer arrays handed out by `new`,
/// `cString`, `binary` and `pointers` all live in this arena's chunks and are freed together in
/// `deinit` — the one release path. Nothing built here may outlive the arena; `pack(_:)` is the only
/// way to use one, and it keeps the arena alive until the bytes are copied out.
/// Isolation: confined to the call that created it (not Sendable). Never blocks.
final class EncodeArena {
    /// Bump allocation from malloc'd chunks: one malloc per ~16 KiB instead of one per field.
    private static let chunkSize = 16 * 1024
    private var chunks: [UnsafeMutableRawPointer] = []
    private var cursor: UnsafeMutableRawPointer?
    private var remaining = 0

    deinit {
        for chunk in chunks { free(chunk) }
    }

    private func allocate(byteCount: Int, alignment: Int) -> UnsafeMutableRawPointer {
        let size = max(byteCount, 1)
        if let cursor {
            let padding = (alignment - Int(bitPattern: cursor) % alignment) % alignment
            if padding + size <= remaining {
                let p = cursor + padding
                self.cursor = p + size
                remaining -= padding + size
                return p
            }
        }
        // malloc's result is aligned for every C type we place here.
        let chunkBytes = max(Self.chunkSize, size)
        guard let chunk = malloc(chunkBytes) else { fatalError("EncodeArena: out of memory") }
        chunks.append(chunk)
        cursor = chunk + size
        remaining = chunkBytes - size
        return chunk
    }

    /// A message struct, initialised by its generated `*__init` (which sets the descriptor and the
    /// proto3 defaults), then filled by `fill`.
    func new<T>(
        _ initialize: (UnsafeMutablePointer<T>) -> Void,
        _ fill: (inout T) -> Void = { _ in }
    ) -> UnsafeMutablePointer<T> {
        let raw = allocate(byteCount: MemoryLayout<T>.size, alignment: MemoryLayout<T>.alignment)
        let p = raw.bindMemory(to: T.self, capacity: 1)
        initialize(p)
        fill(&p.pointee)
        return p
    }

    /// A NUL-terminated copy of `s`. Never nil: protobuf-c calls `strlen` on repeated strings and
    /// map keys without checking. (A string with an embedded NUL is cut there — C strings cannot
    /// carry it; no xDS name or version contains one.)
    func cString(_ s: String) -> UnsafeMutablePointer<CChar> {
        var s = s
        return s.withUTF8 { utf8 in
            let raw = allocate(byteCount: utf8.count + 1, alignment: 1)
            if let base = utf8.baseAddress { raw.copyMemory(from: base, byteCount: utf8.count) }
            raw.storeBytes(of: 0, toByteOffset: utf8.count, as: UInt8.self)
            return raw.bindMemory(to: CChar.self, capacity: utf8.count + 1)
        }
    }

    /// A copy of `bytes` as a protobuf-c `bytes` field. Copying is the price of pointer stability
    /// (a Swift array's storage may not be borrowed past a closure); it is a memcpy, not a re-encode.
    func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        let raw = allocate(byteCount: bytes.count, alignment: 1)
        bytes.withUnsafeBytes { src in
            if let base = src.baseAddress { raw.copyMemory(from: base, byteCount: src.count) }
        }
        return ProtobufCBinaryData(len: bytes.count, data: raw.assumingMemoryBound(to: UInt8.self))
    }

    /// A repeated field's pointer array (`T **`), filled from `elements` in order; nil when empty.
    func pointers<S: Collection, T>(
        _ elements: S, _ make: (S.Element) -> UnsafeMutablePointer<T>
    ) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?>? {
        guard !elements.isEmpty else { return nil }
        let raw = allocate(
            byteCount: elements.count * MemoryLayout<UnsafeMutablePointer<T>?>.stride,
            alignment: MemoryLayout<UnsafeMutablePointer<T>?>.alignment)
        let array = raw.bindMemory(to: UnsafeMutablePointer<T>?.self, capacity: elements.count)
        for (i, e) in elements.enumerated() { (array + i).initialize(to: make(e)) }
        return array
    }

    /// Repeated strings (`char **`).
    func strings(_ elements: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        pointers(elements) { cString($0) }
    }

    /// Builds a message tree in a fresh arena and packs it; the arena is freed on return.
    static func pack<T>(_ build: (EncodeArena) -> UnsafeMutablePointer<T>) -> [UInt8] {
        let arena = EncodeArena()
        return withExtendedLifetime(arena) {
            // Every protobuf-c message struct starts with its ProtobufCMessage base.
            let message = UnsafeRawPointer(build(arena)).assumingMemoryBound(to: ProtobufCMessage.self)
            let size = protobuf_c_message_get_packed_size(message)
            guard size > 0 else { return [] }
            return [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                count = protobuf_c_message_pack(message, buffer.baseAddress)
                precondition(count == size, "protobuf-c packed \(count) bytes, announced \(size)")
            }
        }
    }
}
