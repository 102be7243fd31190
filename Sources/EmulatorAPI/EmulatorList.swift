import Foundation

/// What one of the emulator's list endpoints serves: `{"kind": "IstiodList", "apiVersion":
/// "xdsemu.io/v1", "items": […]}`, shaped like a Kubernetes list so kubectl-minded readers
/// (and `kubectl get --raw`) find what they expect.
package struct EmulatorList<Item: EmulatorListItem>: Codable, Sendable {
    package var kind: String
    package var apiVersion: String
    package var items: [Item]

    package init(_ items: [Item]) {
        self.kind = Item.listKind
        self.apiVersion = Self.apiVersion
        self.items = items
    }

    /// The group/version of every emulator list.
    package static var apiVersion: String { "xdsemu.io/v1" }
}

/// An item of an emulator list: the list's `kind` and the path it is served at.
package protocol EmulatorListItem: Codable, Sendable {
    static var listKind: String { get }
    static var path: String { get }
}
