import Foundation
import MeshModel

/// Who this istioctl is and where it looks: its Istio version (a real istioctl's version is part of
/// its identity, and decides which commands and rules it has), the kubeconfig it was pointed at,
/// and its standard streams. Set for the duration of one invocation (`Istioctl.main`).
public struct IstioctlEnvironment: Sendable {
    public var version: IstioVersion
    /// From `--kubeconfig`/`-c`; nil: `KUBECONFIG`, then `~/.kube/config`.
    public var kubeconfigFlag: String?
    public var variables: [String: String]

    public init(version: IstioVersion, kubeconfigFlag: String? = nil, variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.version = version
        self.kubeconfigFlag = kubeconfigFlag
        self.variables = variables
    }

    @TaskLocal static var current = IstioctlEnvironment(version: Istioctl.defaultVersion)
}

/// Writes to the standard streams the way cobra does (errors on stderr).
enum Console {
    static func out(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func err(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// Asks a yes/no question on stdout and reads the answer from stdin (EOF: no).
    static func confirm(_ question: String) -> Bool {
        FileHandle.standardOutput.write(Data(question.utf8))
        guard let answer = readLine() else {
            out("")
            return false
        }
        return ["y", "yes"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// A zap-style log line (`2020-05-23T15:31:02.866368Z	error	installer	…`), as istioctl's
    /// installer logs failures.
    static func log(_ level: String, _ scope: String, _ message: String) {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let stamp = formatter.string(from: Date()).replacingOccurrences(of: "Z", with: "000Z")
        err("\(stamp)\t\(level)\t\(scope)\t\(message)")
    }
}
