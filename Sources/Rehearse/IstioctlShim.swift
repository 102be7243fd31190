import Foundation
import Istio
import Istioctl

/// `DIR/bin/istioctl`: a script that runs an xdsemu binary as istioctl of one release (what
/// `xdsemu shim` writes, and what a rehearsal puts first on its steps' PATH).
package enum IstioctlShim {
    package static func script(version: IstioVersion, xdsemu: String) -> String {
        """
        #!/bin/sh
        # istioctl \(version), emulated by xdsemu (written by `xdsemu shim`).
        \(Istioctl.versionVariable)='\(version)' exec '\(xdsemu)' istioctl "$@"

        """
    }

    /// Writes `directory/bin/istioctl` (mode 755) and returns its path.
    @discardableResult
    package static func write(in directory: String, version: IstioVersion, xdsemu: String) throws -> String {
        let bin = URL(fileURLWithPath: directory).appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        let target = bin.appendingPathComponent("istioctl")
        try script(version: version, xdsemu: xdsemu).write(to: target, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: target.path)
        return target.path
    }
}
