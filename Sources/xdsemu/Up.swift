import ArgumentParser
import Emulator
import Foundation
import Istioctl
import Kubernetes
import Istio

/// `xdsemu up`: the emulated cluster in the foreground until Ctrl-C or SIGTERM.
struct Up: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start the emulated cluster in the foreground and write a kubeconfig for kubectl."
    )

    @Option(name: .customLong("state-dir"), help: "Directory holding the lock, the world database and the kubeconfig.")
    var stateDirectory = ".xdsemu"

    @Option(name: .customLong("db"), help: "The SQLite world database (default: <state-dir>/world.sqlite).")
    var databasePath: String?

    @Option(help: "Where to write the kubeconfig (default: <state-dir>/kubeconfig).")
    var kubeconfig: String?

    @Option(help: "API port on 127.0.0.1 (0 picks a free one).")
    var port = 0

    @Option(help: "Seed for generated names and addresses of a new world.")
    var seed: UInt64 = 0x0005_EED0

    @Option(name: .customLong("pod-cidr"), help: "Range pod IPs of a new world come from.")
    var podCIDR = "10.244.0.0/16"

    @Option(name: .customLong("step-ms"), help: "Milliseconds between the steps of a pod's life in a new world.")
    var stepMilliseconds: Int64 = 1000

    @Option(help: "Istio release a new world comes with as its default revision (as the seed's cluster), or `none`.")
    var istio = IstioVersion.v1_5_4.description

    @Option(
        name: .customLong("envoy"), parsing: .upToNextOption,
        help: "Pods that run a real Envoy instead of a simulated proxy: pod name prefixes (details-v1) or labels (app=details).")
    var envoyPods: [String] = []

    @Option(
        name: .customLong("from"),
        help: "Build the new world from a cluster dump: what `kubectl get namespaces,deployments,statefulsets,daemonsets,services,configmaps,mutatingwebhookconfigurations,validatingwebhookconfigurations -A -o yaml` writes (docs/import.md). Refused when the state directory already has a world.")
    var from: String?

    @Option(name: .customLong("envoy-binary"), help: "The Envoy for --envoy (default: $XDSEMU_ENVOY, else .venv/bin/envoy).")
    var envoyBinary: String?

    func run() async throws {
        guard let pods = IPv4Range(podCIDR) else {
            throw ValidationError("--pod-cidr must look like 10.244.0.0/16, not \(podCIDR)")
        }
        var istioVersion: IstioVersion?
        if istio != "none" {
            switch IstioRelease.parse(istio) {
            case .success(let v): istioVersion = v
            case .failure(let refusal):
                // One line, without ArgumentParser's usage block.
                FileHandle.standardError.write(Data("Error: --istio: \(refusal.message); or none\n".utf8))
                throw ExitCode.failure
            }
        }
        let envoySelection = envoyPods.isEmpty
            ? nil
            : SidecarFleet.EnvoySelection(
                selectors: envoyPods,
                binary: envoyBinary ?? ProcessInfo.processInfo.environment["XDSEMU_ENVOY"]
                    ?? URL(fileURLWithPath: ".venv/bin/envoy").standardizedFileURL.path,
                directory: URL(fileURLWithPath: stateDirectory).appendingPathComponent("envoy").standardizedFileURL.path)
        var options = Emulator.Options(
            stateDirectory: stateDirectory, databasePath: databasePath, kubeconfigPath: kubeconfig, port: port,
            worldConfig: WorldConfig(seed: seed, podCIDR: pods, stepMilliseconds: stepMilliseconds),
            shutdownSignals: [.sigterm, .sigint], istio: istioVersion, envoy: envoySelection)
        let imported = try from.map { try Self.importWorld(from: $0, into: &options) }
        DescriptorBudget.raiseSoftLimit()
        let emulator: Emulator
        do {
            emulator = try await Emulator.start(options)
        } catch {
            FileHandle.standardError.write(Data("xdsemu: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let absolute = URL(fileURLWithPath: emulator.kubeconfigPath).standardizedFileURL.path
        print("xdsemu: emulated cluster listening on \(emulator.serverURL) (\(emulator.restored ? "restored" : "new") world in \(emulator.databasePath))")
        print("To use it with kubectl:")
        print("  export KUBECONFIG=\(absolute)")
        // The live istiods of the world's revisions (each an xDS server on its own loopback port).
        if !emulator.cluster.world.istioRevisions().filter({ !$0.readyPods.isEmpty }).isEmpty {
            await emulator.istiods.waitUntil(timeout: .seconds(5)) { !$0.isEmpty }
        }
        for istiod in emulator.istiods.istiods() {
            print("istiod \(istiod.revision.name) (Istio \(istiod.revision.version)): xDS on 127.0.0.1:\(istiod.port) as \(istiod.host)")
        }
        // The world's injected pods, each with a proxy on its revision's istiod.
        let expected = emulator.cluster.world.proxies().count { $0.pod.phase == "Running" && !$0.pod.isTerminating }
        await ProxyReport.waitForConnections(emulator, expected: expected, timeout: .seconds(10))
        ProxyReport.print(emulator)
        let importedRelease = imported.flatMap { mesh in (mesh.revisions.first { $0.revision == "default" } ?? mesh.revisions.last)?.version }
        let release = (imported == nil ? istioVersion : importedRelease)?.description ?? Istioctl.defaultVersion.description
        print("To use istioctl (writes ./bin/istioctl, as in an unpacked Istio release):")
        print("  \(Shim.executablePath()) shim . --istio-version \(release)")
        print("  bin/istioctl version")
        print("Press Ctrl-C to stop.")
        fflush(nil)  // so a supervisor reading our stdout sees the export line at once
        do {
            try await emulator.waitUntilStopped()
        } catch {
            FileHandle.standardError.write(Data("xdsemu: \(error)\n".utf8))
            throw ExitCode.failure
        }
        print("xdsemu: stopped")
    }

    /// `--from FILE`: the world of a cluster dump becomes the new world, each object left out
    /// named on stderr. A state directory that already holds a world is refused rather than
    /// silently kept (`Emulator.Options.initialWorld` applies only to a new one).
    static func importWorld(from file: String, into options: inout Emulator.Options) throws -> ImportedMesh {
        if FileManager.default.fileExists(atPath: options.resolvedDatabasePath) {
            FileHandle.standardError.write(
                Data("xdsemu: --from \(file) builds a new world, but \(options.resolvedDatabasePath) already holds one; remove it or choose another --state-dir\n".utf8))
            throw ExitCode.failure
        }
        let now = Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded()))
        let mesh: ImportedMesh
        do {
            mesh = try MeshImport.load(path: file, config: options.worldConfig, now: now)
        } catch {
            FileHandle.standardError.write(Data("xdsemu: \(error)\n".utf8))
            throw ExitCode.failure
        }
        for entry in mesh.skipped { FileHandle.standardError.write(Data("xdsemu: not imported: \(entry)\n".utf8)) }
        options.initialWorld = mesh.world
        return mesh
    }
}
