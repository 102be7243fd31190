import JSON
import Kubernetes
/// An Istio release (`1.6.0`). Istio changed its install, injection and CLI rules from release to
/// release, so every rule the emulator reproduces asks the version in play whether it `has` the
/// rule (`IstioBehavior`, one row each in `ReleaseTable`): the revision's version for what its
/// charts render and its injector does, the istioctl's for what the CLI accepts.
package struct IstioVersion: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    package var major: Int
    package var minor: Int
    package var patch: Int

    package init(_ major: Int, _ minor: Int, _ patch: Int = 0) {
        self.major = major
        self.minor = minor
        self.patch = patch
    }

    /// Parses `1.6.0`, `1.6` or `v1.6.0`; nil for anything else.
    package init?(_ text: String) {
        var s = Substring(text)
        if s.first == "v" { s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count) else { return nil }
        let numbers = parts.map { Int($0) }
        guard numbers.allSatisfy({ $0 != nil && $0! >= 0 }) else { return nil }
        self.init(numbers[0]!, numbers[1]!, parts.count == 3 ? numbers[2]! : 0)
    }

    package var description: String { "\(major).\(minor).\(patch)" }
    /// `1.6`: how Istio names its per-minor EnvoyFilters (`metadata-exchange-1.6`).
    package var minorString: String { "\(major).\(minor)" }

    package static func < (a: Self, b: Self) -> Bool { (a.major, a.minor, a.patch) < (b.major, b.minor, b.patch) }

    /// The release the seed scenario starts from.
    package static let v1_5_4 = IstioVersion(1, 5, 4)
    /// The release the seed scenario upgrades to.
    package static let v1_6_0 = IstioVersion(1, 6, 0)
}
