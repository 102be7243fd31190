import JSON
import Istio

/// `istioctl install`'s confirmation, per release (`operator/cmd/mesh/manifest-apply.go@1.6.0`,
/// `install.go@1.7.0` … `@1.30.0`): when it is asked, its wording, and `Cancelled.` on the
/// command's stderr (cobra's `Print`) with exit 1 on anything but `y`.
struct InstallPrompt {
    var version: IstioVersion

    /// 1.6–1.7 ask only when neither `-f` nor `--set` is given; 1.8+ whenever `-y` is missing.
    /// `--dry-run` never asks.
    func asks(filenames: [String], sets: [String], skipConfirmation: Bool, dryRun: Bool) -> Bool {
        if skipConfirmation || dryRun { return false }
        return version.has(.installPromptAlways) || (filenames.isEmpty && sets.isEmpty)
    }

    /// The question, for the install's profile and enabled components (their progress titles).
    func question(profile: String, components: [String]) -> String {
        let tag = version.description
        let components = profile == "empty" ? [] : components
        let sentence: String
        if version.has(.installPromptProfileQuoted) {
            sentence = "This will install the Istio \(tag) profile \(profile.goQuoted) into the cluster."
        } else if version.has(.installPromptComponentsSentence), !components.isEmpty {
            sentence = "This will install the Istio \(tag) \(profile.goQuoted) profile (with components: \(Self.humanReadableJoin(components))) into the cluster."
        } else if version.has(.installPromptNamesRelease), !components.isEmpty {
            // Go's %q of a []string.
            sentence = "This will install the Istio \(tag) \(profile) profile with [\(components.map(\.goQuoted).joined(separator: " "))] components into the cluster."
        } else if version.has(.installPromptNamesRelease) {
            sentence = "This will install the Istio \(tag) \(profile) profile into the cluster."
        } else if version.has(.installPromptAlways) {
            sentence = "This will install the Istio profile into the cluster."
        } else {
            sentence = "This will install the \(profile) Istio profile into the cluster."
        }
        return sentence + " Proceed? (y/N)"
    }

    /// `a`, `a and b`, `a, b, and c` (install.go's humanReadableJoin).
    static func humanReadableJoin(_ items: [String]) -> String {
        switch items.count {
        case 0: ""
        case 1: items[0]
        case 2: "\(items[0]) and \(items[1])"
        default: items.dropLast().joined(separator: ", ") + ", and " + items[items.count - 1]
        }
    }

    /// Asks; on anything but yes prints `Cancelled.` and fails with exit 1 and no further message.
    func confirm(_ question: String) throws(IstioctlFailure) {
        guard Console.confirm(question) else {
            Console.err("Cancelled.")
            throw IstioctlFailure("", exitCode: 1)
        }
    }
}
