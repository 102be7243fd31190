import XDSModel

/// Identifies one ADS stream for the lifetime of a server. Assigned by the server, opaque here.
public struct StreamID: Hashable, Sendable, Comparable, CustomStringConvertible {
    package let rawValue: UInt64
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public static func < (a: StreamID, b: StreamID) -> Bool { a.rawValue < b.rawValue }
    public var description: String { "stream-\(rawValue)" }
}

/// Which flavour of ADS a stream speaks.
public enum StreamKind: Sendable, Hashable {
    /// `StreamAggregatedResources`: every response carries whole resources with one `version_info`.
    case stateOfTheWorld
    /// `DeltaAggregatedResources`: responses carry only what changed, plus removals.
    case delta
}
