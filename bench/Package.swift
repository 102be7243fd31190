// swift-tools-version:6.1
// xdsemu's benchmarks: micro benchmarks of the push core (package-benchmark) and `push-bench`,
// which measures the whole server against a raw gRPC baseline. See README.md.
import PackageDescription

/// A path dependency's identity is its directory's name, which differs between checkouts
/// (`main` here, something else in CI's clone): read it rather than spell it.
let mainPackage = Context.packageDirectory.split(separator: "/").dropLast().last.map(String.init) ?? "main"

let package = Package(
    name: "xdsemu-bench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Worlds, the simulated proxy and the load generator: shared by push-bench, its tests and
        // the micro benchmarks.
        .target(
            name: "BenchKit",
            dependencies: [
                .product(name: "XDSServer", package: mainPackage),
                .product(name: "XDSTransport", package: mainPackage),
                .product(name: "XDSWire", package: mainPackage),
                .product(name: "XDSModel", package: mainPackage),
                .product(name: "PushCore", package: mainPackage),
            ]
        ),
        .executableTarget(name: "push-bench", dependencies: ["BenchKit"]),
        .executableTarget(
            name: "PushCoreBenchmarks",
            dependencies: [
                "BenchKit",
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "PushCore", package: mainPackage),
                .product(name: "XDSWire", package: mainPackage),
                .product(name: "XDSModel", package: mainPackage),
            ],
            path: "Benchmarks/PushCoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .testTarget(name: "PushBenchTests", dependencies: ["BenchKit"]),
    ],
    swiftLanguageModes: [.v6]
)
