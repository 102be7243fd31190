import Foundation

/// What one of the emulator's list endpoints serves: `{"kind": "IstiodList", "apiVersion":
/// "xdsemu.io/v1", "items": […]}`, shaped like a Kubernetes list so kubectl-minded readers
/// (and `kubectl get --raw`) find what they expect.
public struct EmulatorList<Item: EmulatorListItem>: Codable, Sendable {
    public var kind: String
    public var apiVersion: String
    public var items: [Item]

    public init(_ items: [Item]) {
        self.kind = Item.listKind
        self.apiVersion = Self.apiVersion
        self.items = items
    }

    /// The group/version of every emulator list.
    public static var apiVersion: String { "xdsemu.io/v1" }
}

/// An item of an emulator list: the list's `kind` and the path it is served at.
public protocol EmulatorListItem: Codable, Sendable {
    static var listKind: String { get }
    static var path: String { get }
}
