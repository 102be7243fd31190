/// The Istio releases the emulator knows: every minor from 1.5 to 1.30, each with the patch whose
/// charts and istioctl it was checked against (`docs/istio-releases.md`), and the last patch tag
/// of the minor in istio/istio. Any patch of a known minor is accepted (its rules are the minor's,
/// plus the patch rows of `ReleaseTable`, such as 1.8.1's); anything else is refused in one line.
package enum IstioRelease {
    package struct Minor: Hashable, Sendable {
        /// `1.20`.
        package var minor: Int
        /// The release whose sources the emulation of this minor was read from.
        package var emulates: IstioVersion
        /// The minor's last patch tag in istio/istio (`git tag | sort -V`).
        package var lastPatch: IstioVersion
    }

    /// Minor → last patch tag, read from the istio/istio tags (1.5.10 … 1.30.3). The seed's
    /// cluster ran 1.5.4, so 1.5 emulates that patch; every later minor its `.0`.
    static let lastPatches: [(minor: Int, lastPatch: Int)] = [
        (5, 10), (6, 14), (7, 8), (8, 6), (9, 9), (10, 6), (11, 8), (12, 9), (13, 9), (14, 6), (15, 7), (16, 7),
        (17, 8), (18, 7), (19, 10), (20, 8), (21, 6), (22, 8), (23, 6), (24, 6), (25, 5), (26, 8), (27, 9), (28, 10),
        (29, 6), (30, 3),
    ]

    package static let minors: [Minor] = lastPatches.map { entry in
        Minor(
            minor: entry.minor, emulates: entry.minor == 5 ? .v1_5_4 : IstioVersion(1, entry.minor, 0),
            lastPatch: IstioVersion(1, entry.minor, entry.lastPatch))
    }

    package static var oldest: IstioVersion { IstioVersion(1, minors[0].minor, 0) }
    package static var newest: Minor { minors[minors.count - 1] }

    /// `1.5 to 1.30`: how errors name the range.
    package static var supportedRange: String { "\(oldest.minorString) to \(newest.emulates.minorString)" }

    /// Whether the emulator has rules for `version`'s minor.
    package static func isSupported(_ version: IstioVersion) -> Bool {
        version.major == 1 && minors.contains { $0.minor == version.minor }
    }

    /// Reads a release the user named (`1.20.0`, `1.20`, `v1.20.0`): the version, or the one-line
    /// reason it is refused.
    package static func parse(_ text: String) -> Result<IstioVersion, Refusal> {
        guard let version = IstioVersion(text) else {
            return .failure(Refusal(message: "invalid Istio release \"\(text)\": expected a release such as 1.20.0 (supported: Istio \(supportedRange))"))
        }
        guard isSupported(version) else {
            return .failure(
                Refusal(message: "unsupported Istio release \(version): xdsemu emulates Istio \(supportedRange) (1.5.0 … \(newest.lastPatch))"))
        }
        return .success(version)
    }

    package struct Refusal: Error, Hashable, Sendable, CustomStringConvertible {
        package var message: String
        package var description: String { message }
    }
}
