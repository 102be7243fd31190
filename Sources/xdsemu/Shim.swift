import ArgumentParser
import Foundation
import Istioctl
import Kubernetes
import Istio
import Rehearse

/// `xdsemu shim DIR --istio-version 1.6.0`: writes `DIR/bin/istioctl`, a script that runs this
/// xdsemu as istioctl of that release, so a tutorial's `bin/istioctl …` lines run verbatim in DIR
/// (as they do in an unpacked `istio-1.6.0/` download).
struct Shim: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create DIR/bin/istioctl: an istioctl of the given Istio version that talks to the emulator.")

    @Argument(help: "The directory to put bin/istioctl in (created if missing).")
    var directory: String

    @Option(name: .customLong("istio-version"), help: "The istioctl release to emulate, e.g. 1.6.0.")
    var istioVersion = Istioctl.defaultVersion.description

    func run() throws {
        let version: IstioVersion
        switch IstioRelease.parse(istioVersion) {
        case .success(let v): version = v
        case .failure(let refusal):
            // One line, without ArgumentParser's usage block.
            FileHandle.standardError.write(Data("Error: --istio-version: \(refusal.message)\n".utf8))
            throw ExitCode.failure
        }
        let target = try IstioctlShim.write(in: directory, version: version, xdsemu: Self.executablePath())
        print("\(target): istioctl \(version) for the emulator (uses KUBECONFIG or ~/.kube/config)")
    }

    /// This binary's absolute path, so the script works from any directory.
    static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
