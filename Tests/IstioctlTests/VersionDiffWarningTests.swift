@testable import Istioctl
import Istio
import Testing

/// `install`'s warning about running istiods of another release, per release. Go compares the
/// versions as strings, so `1.5.4` counts as later than `1.10.0`; the emulator keeps that.
struct VersionDiffWarningTests {
    let old = [VersionDiffWarning.Istiod(tag: "1.5.4", revision: "")]

    func text(_ v: String, _ istiods: [VersionDiffWarning.Istiod], set: String? = nil, revision: String = "") throws -> String? {
        VersionDiffWarning(version: try #require(IstioVersion(v))).text(istiods: istiods, setRevision: set, installRevision: revision)
    }

    @Test func beforeTheWarningNothing() throws {
        #expect(try text("1.8.0", old) == nil)
        #expect(try text("1.10.0", []) == nil)
    }

    @Test func releases19To118NameTheInstalledControlPlanes() throws {
        #expect(try text("1.10.0", old) == "WARNING: Istio control planes installed: 1.5.4.\nWARNING: An older installed version of Istio has been detected. Running this command will overwrite it.\n")
        #expect(try text("1.11.0", [.init(tag: "1.10.0", revision: "")]) == "WARNING: Istio control planes installed: 1.10.0.\nWARNING: A newer installed version of Istio has been detected. Running this command will overwrite it.\n")
        // With a revision the source's comparison is inverted, and its downgrade line has no line end.
        #expect(try text("1.10.0", old, set: "canary", revision: "canary") == "WARNING: Istio is being upgraded from 1.5.4 -> 1.10.0.\nWARNING: Before upgrading, you may wish to use 'istioctl analyze' to check forIST0002 and IST0135 deprecation warnings.\n")
        #expect(try text("1.11.0", [.init(tag: "1.10.0", revision: "")], set: "canary", revision: "canary") == "WARNING: Istio is being downgraded from 1.10.0 -> 1.11.0.")
        #expect(try text("1.10.0", [.init(tag: "1.10.0", revision: "")]) == nil)
    }

    @Test func from119TheInPlaceUpgradeWarning() throws {
        #expect(try text("1.19.0", [.init(tag: "1.18.0", revision: "")]) == """
            WARNING: Istio is being upgraded from 1.18.0 to 1.19.0.
                     Running this command will overwrite it; use revisions to upgrade alongside the existing version.
                     Before upgrading, you may wish to use 'istioctl x precheck' to check for upgrade warnings.

            """)
        #expect(try text("1.19.0", old)?.hasPrefix("WARNING: Istio is being downgraded from 1.5.4 to 1.19.0.\n") == true)
        // 1.20 counts only the revision being installed.
        let running = [VersionDiffWarning.Istiod(tag: "1.20.0", revision: "default"), .init(tag: "1.22.0", revision: "canary")]
        #expect(try text("1.22.0", running) == """
            WARNING: Istio is being upgraded from 1.20.0 to 1.22.0.
                     Running this command will overwrite it; use revisions to upgrade alongside the existing version.
                     Before upgrading, you may wish to use 'istioctl x precheck' to check for upgrade warnings.

            """)
        #expect(try text("1.22.0", running, set: "canary", revision: "canary") == nil)
        #expect(try text("1.22.0", [.init(tag: "1.20.0", revision: "canary")], set: "canary", revision: "canary")
            == "WARNING: Istio is being upgraded from 1.20.0 to 1.22.0.\n         Before upgrading, you may wish to use 'istioctl x precheck' to check for upgrade warnings.\n")
    }
}
