import XDSModel

/// Every resource of one type that a revision serves, each already encoded. Immutable value: a
/// new snapshot shares unchanged entries (and their bytes) with the old one.
public struct TypeSnapshot: Sendable {
    package struct Entry: Sendable {
        package let value: XDSResource
        package let encoded: EncodedResource
    }

    /// `version_info` of state-of-the-world responses carrying this snapshot.
    public private(set) var version: ResourceVersion
    package private(set) var entries: [String: Entry]

    package init(version: ResourceVersion = .none, entries: [String: Entry] = [:]) {
        self.version = version
        self.entries = entries
    }

    /// What changed between two snapshots of one type.
    package struct Change: Sendable, Equatable {
        package var updated: Set<String> = []
        package var removed: Set<String> = []
        package var isEmpty: Bool { updated.isEmpty && removed.isEmpty }
        package var all: Set<String> { updated.union(removed) }
    }

    /// Replaces the contents with `resources`, encoding only those whose value changed. Returns
    /// the change and how many resources were encoded (the push core's proof that each changed
    /// resource is encoded exactly once, whatever the number of streams).
    mutating func replace(
        with resources: [XDSResource], typeURL: TypeURL, version newVersion: ResourceVersion,
        encode: (XDSResource) -> [UInt8]
    ) -> (change: Change, encodings: Int) {
        var change = Change()
        var encodings = 0
        var next: [String: Entry] = [:]
        next.reserveCapacity(resources.count)
        for resource in resources {
            let name = resource.name
            if let old = entries[name], old.value == resource {
                next[name] = old
                continue
            }
            let bytes = encode(resource)
            encodings += 1
            let encoded = EncodedResource(
                name: name, version: ResourceVersion(ResourceVersioning.version(of: bytes)),
                typeURL: typeURL, bytes: bytes)
            // Equal bytes under a new value (e.g. a field we do not encode) is no change on the wire.
            if entries[name]?.encoded.bytes != bytes { change.updated.insert(name) }
            next[name] = Entry(value: resource, encoded: encoded)
        }
        for name in entries.keys where next[name] == nil { change.removed.insert(name) }
        entries = next
        if !change.isEmpty { version = newVersion }
        return (change, encodings)
    }
}
