import Foundation
import JSON
import Kubernetes
import Istio

/// Who this istioctl is and where it looks: its Istio version (a real istioctl's version is part of
/// its identity, and decides which commands and rules it has), the kubeconfig it was pointed at,
/// and its standard streams. Set for the duration of one invocation (`Istioctl.main`).
package struct IstioctlEnvironment: Sendable {
    package var version: IstioVersion
    /// From `--kubeconfig`/`-c`; nil: `KUBECONFIG`, then `~/.kube/config`.
    package var kubeconfigFlag: String?
    package var variables: [String: String]

    package init(version: IstioVersion, kubeconfigFlag: String? = nil, variables: [String: String] = ProcessInfo.processInfo.environment) {
        self.version = version
        self.kubeconfigFlag = kubeconfigFlag
        self.variables = variables
    }

    @TaskLocal static var current = IstioctlEnvironment(version: Istioctl.defaultVersion)
}
