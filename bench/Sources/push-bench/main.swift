import BenchKit
import Foundation

// push-bench: xdsemu's XDSServer against the raw transport, N real ADS streams held by a second
// process. See bench/README.md.
do {
    let options = try BenchOptions(Array(CommandLine.arguments.dropFirst()))
    switch options.role {
    case .orchestrator: await Orchestrator.run(options)
    case .server: await ServerRole.run(options)
    case .loadgen: await LoadgenRole.run(options)
    }
} catch {
    if !error.message.isEmpty { FileHandle.standardError.writeLine("push-bench: \(error.message)") }
    FileHandle.standardError.writeLine(BenchOptions.usage)
    exit(error.message.isEmpty ? 0 : 2)
}
