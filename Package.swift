// swift-tools-version:6.1
// xdsemu — a fake istiod. Module graph and house style: docs/design.md.
import PackageDescription

/// The gRPC C-core libraries, named directly: `pkgConfig:` for grpc overflows the link line
/// (docs/c-binding-notes.md). C targets need these on their own linkerSettings.
let grpcLibraries: [LinkerSetting] = [.linkedLibrary("grpc_unsecure"), .linkedLibrary("gpr")]

let package = Package(
    name: "xdsemu",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "xdsemu", targets: ["xdsemu"]),
        .library(name: "XDSModel", targets: ["XDSModel"]),
        .library(name: "XDSWire", targets: ["XDSWire"]),
        .library(name: "XDSTransport", targets: ["XDSTransport"]),
        .library(name: "PushCore", targets: ["PushCore"]),
        .library(name: "XDSServer", targets: ["XDSServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        // MARK: Emulated cluster (issue 5) — packages
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
        // MARK: Istio revisions (issue 2) — packages
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: [
        // MARK: C bindings — the only places with pointers.
        // gRPC's headers live in one Clang module, CGRPC; CGRPCShim's header includes CGRPC.h by
        // relative path (so Clang maps it to that module) and re-exports it. Swift imports only
        // CGRPCShim (docs/c-binding-notes.md: two copies of the headers lose enum constants).
        .systemLibrary(name: "CGRPC", path: "Sources/CGRPC"),
        .target(
            name: "CGRPCShim",
            dependencies: ["CGRPC"],
            linkerSettings: grpcLibraries
        ),
        .systemLibrary(name: "CProtobufC", path: "Sources/CProtobufC", pkgConfig: "libprotobuf-c"),
        .target(
            name: "CXDSProto",
            dependencies: ["CProtobufC"],
            linkerSettings: [.linkedLibrary("protobuf-c")]
        ),

        // MARK: Pure Swift.
        .target(name: "XDSModel"),
        .target(name: "PushCore", dependencies: ["XDSModel"]),

        // MARK: Safe Swift over the C bindings.
        .target(name: "XDSWire", dependencies: ["XDSModel", "CXDSProto"]),
        .target(name: "XDSTransport", dependencies: ["CGRPCShim"]),
        .target(name: "XDSServer", dependencies: ["PushCore", "XDSTransport", "XDSWire", "XDSModel"]),

        // MARK: Pointing a real Envoy at a server (the `run` command and the interop tests).
        .target(name: "EnvoyConfig"),

        // MARK: Emulated cluster (issue 5)
        // MeshModel is pure (no I/O); WorldStore persists it (GRDB); KubeAPI serves it to kubectl;
        // Emulator composes them into the `xdsemu up` daemon.
        .target(name: "MeshModel", dependencies: ["XDSModel"]),
        .target(
            name: "WorldStore",
            dependencies: ["MeshModel", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .target(
            name: "KubeAPI",
            dependencies: [
                "MeshModel", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "Emulator",
            dependencies: [
                "MeshModel", "WorldStore", "KubeAPI", "Istiod", "PushCore", "Sidecar", "XDSModel",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "MeshModelTests", dependencies: ["MeshModel"]),
        .testTarget(name: "KubeAPITests", dependencies: ["KubeAPI", "Emulator", "WorldStore", "MeshModel"]),

        // MARK: Istio revisions (issue 2)
        // Istiod: one live revision (an XDSServer fed CDS/EDS generated from the world) and the
        // fleet that keeps one per installed revision.
        .target(name: "Istiod", dependencies: ["MeshModel", "XDSServer", "XDSModel", "XDSTransport"]),
        .testTarget(
            name: "IstiodTests",
            dependencies: ["Istiod", "MeshModel", "XDSModel", "XDSWire", "XDSTransport", "XDSServer", "XDSTestSupport"]
        ),
        // Istioctl: the istioctl front end (install, uninstall, tags) talking to the emulator
        // through its Kubernetes API.
        .target(
            name: "Istioctl",
            dependencies: [
                "MeshModel", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(name: "IstioctlTests", dependencies: ["Istioctl", "Emulator", "Istiod", "MeshModel", "Sidecar", "XDSModel"]),

        // MARK: Sidecars (issue 3)
        // A simulated proxy: a real SotW ADS client over XDSTransport plus an Envoy-shaped admin view.
        .target(
            name: "Sidecar",
            dependencies: [
                "XDSTransport", "XDSWire", "XDSModel",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "SidecarTests",
            dependencies: ["Sidecar", "XDSServer", "XDSModel", "XDSWire", "XDSTransport"]
        ),

        // MARK: The command line.
        .executableTarget(
            name: "xdsemu",
            dependencies: [
                "XDSServer", "EnvoyConfig", "XDSModel", "Emulator", "MeshModel", "Istioctl", "PushCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Tests mirror modules.
        .testTarget(name: "XDSModelTests", dependencies: ["XDSModel"]),
        .testTarget(name: "XDSWireTests", dependencies: ["XDSWire", "XDSModel"]),
        .testTarget(name: "XDSTransportTests", dependencies: ["XDSTransport"]),
        .testTarget(name: "PushCoreTests", dependencies: ["PushCore", "XDSModel"]),
        .testTarget(
            name: "XDSServerTests",
            dependencies: ["XDSServer", "XDSWire", "XDSTransport", "XDSModel", "PushCore", "XDSTestSupport", "EnvoyConfig"]
        ),
        // Helpers shared by test targets (test targets cannot share sources): a real ADS client
        // and a real Envoy runner.
        .target(
            name: "XDSTestSupport", dependencies: ["XDSServer", "XDSTransport", "XDSWire", "XDSModel", "EnvoyConfig"],
            path: "Tests/XDSTestSupport"),
    ],
    swiftLanguageModes: [.v6]
)
