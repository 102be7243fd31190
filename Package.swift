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
        .package(url: "https://github.com/hummingbird-project/hummingbird", exact: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
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

        // MARK: The emulated cluster
        // JSON: the one JSON value type. Kubernetes is pure (objects, validation, store semantics,
        // controllers, admission hooks); KubeRuntime runs it live (serialised, persisted, watched
        // writes); WorldStore persists it (GRDB); KubeAPI serves it to kubectl.
        .target(name: "JSON"),
        // AsyncCondition: tasks waiting for a condition on changing state (proxies, istiods).
        .target(name: "AsyncCondition"),
        .target(name: "Kubernetes", dependencies: ["JSON"]),
        .target(
            name: "KubeRuntime",
            dependencies: [
                "Kubernetes", "JSON", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "WorldStore",
            dependencies: ["Kubernetes", "KubeRuntime", "JSON", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // EmulatorAPI: the emulator's own endpoints (`/xdsemu/v1/…`, `/metrics`, sidecar admin
        // roots) as Codable types and one endpoint seam; the server builds them, istioctl decodes them.
        .target(name: "EmulatorAPI"),
        .target(
            name: "KubeAPI",
            dependencies: [
                "Kubernetes", "KubeRuntime", "JSON", "EmulatorAPI", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ],
            // The columns of `kubectl get`, as Kubernetes' printers declare them.
            resources: [.copy("printer-columns.json")]
        ),
        .testTarget(name: "JSONTests", dependencies: ["JSON"], resources: [.copy("Golden")]),
        .testTarget(name: "KubernetesTests", dependencies: ["Kubernetes", "KubeRuntime", "Istio", "JSON"]),

        // MARK: Istio
        // Istio: releases, install manifests, injection, validation, proxy views; it plugs into the
        // Kubernetes module through admission hooks and its custom resources.
        .target(name: "Istio", dependencies: ["Kubernetes", "JSON"]),
        .testTarget(name: "IstioTests", dependencies: ["Istio", "Kubernetes", "KubeRuntime", "JSON"]),
        // Istiod: one live revision (an XDSServer fed CDS/EDS generated from the world) and the
        // fleet that keeps one per installed revision.
        .target(
            name: "Istiod",
            dependencies: ["Istio", "Kubernetes", "KubeRuntime", "JSON", "AsyncCondition", "XDSServer", "XDSModel", "XDSTransport", "PushCore"]
        ),
        .testTarget(
            name: "IstiodTests",
            dependencies: [
                "Istiod", "Istio", "Kubernetes", "KubeRuntime", "JSON", "XDSModel", "XDSWire", "XDSServer", "TestKit",
            ]
        ),
        // Istioctl: the istioctl front end (install, uninstall, tags, queries) talking to the
        // emulator through its Kubernetes API.
        .target(
            name: "Istioctl",
            dependencies: [
                "Istio", "Kubernetes", "JSON", "EmulatorAPI",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "IstioctlTests",
            dependencies: [
                "Istioctl", "Emulator", "EmulatorAPI", "Istiod", "Istio", "Kubernetes", "KubeRuntime", "JSON", "Sidecar",
                "XDSModel", "TestKit",
            ]
        ),

        // MARK: The daemon
        .target(
            name: "Emulator",
            dependencies: [
                "Istio", "Kubernetes", "KubeRuntime", "JSON", "WorldStore", "KubeAPI", "EmulatorAPI", "Istiod", "PushCore",
                "Sidecar", "XDSModel",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KubeAPITests",
            dependencies: [
                "KubeAPI", "EmulatorAPI", "Emulator", "Istio", "Kubernetes", "KubeRuntime", "JSON", "TestKit",
            ]
        ),

        // MARK: Rehearsals
        // Rehearse: upgrade scenarios (YAML) run on fresh in-process emulated clusters, checked
        // against the emulator's own endpoints, reported as progress, JUnit, JSON and HTML.
        .target(
            name: "Rehearse",
            dependencies: [
                "Emulator", "EmulatorAPI", "Istio", "Istioctl", "Kubernetes", "KubeRuntime", "JSON",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .testTarget(
            name: "RehearseTests",
            dependencies: ["Rehearse", "EmulatorAPI", "Istio", "Kubernetes", "KubeRuntime", "JSON", "TestKit"]
        ),

        // MARK: Sidecars
        // A simulated proxy: a real SotW ADS client over XDSTransport plus an Envoy-shaped admin
        // view, served as endpoints of the emulator's API server.
        .target(
            name: "Sidecar", dependencies: ["XDSTransport", "XDSWire", "XDSModel", "EmulatorAPI", "AsyncCondition", "JSON"]
        ),
        .testTarget(
            name: "SidecarTests",
            dependencies: [
                "Sidecar", "XDSServer", "XDSModel", "XDSWire", "KubeAPI", "Istio", "TestKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Envoy admin pages captured from a real Envoy, compared byte for byte.
            resources: [.copy("Captures")]
        ),

        // MARK: The command line.
        .executableTarget(
            name: "xdsemu",
            dependencies: [
                "XDSServer", "EnvoyConfig", "XDSModel", "Emulator", "Istio", "Kubernetes", "Istioctl", "PushCore", "Rehearse",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Tests mirror modules.
        .testTarget(name: "XDSModelTests", dependencies: ["XDSModel"]),
        .testTarget(name: "XDSWireTests", dependencies: ["XDSWire", "XDSModel", "TestKit"]),
        .testTarget(name: "XDSTransportTests", dependencies: ["XDSTransport"]),
        .testTarget(name: "PushCoreTests", dependencies: ["PushCore", "XDSModel"]),
        .testTarget(
            name: "XDSServerTests",
            dependencies: ["XDSServer", "XDSWire", "XDSTransport", "XDSModel", "PushCore", "TestKit", "EnvoyConfig"]
        ),
        // What test targets share (they cannot share sources): the one `eventually`, the one child
        // process runner, and the real peers on it (kubectl and the istioctl shim against an
        // emulator, Envoy, Python with the official protos), plus a real ADS client.
        .target(
            name: "TestKit",
            dependencies: [
                "XDSServer", "XDSTransport", "XDSWire", "XDSModel", "EnvoyConfig", "Emulator", "Istio", "Kubernetes",
                "KubeRuntime", "Sidecar",
            ],
            path: "Tests/TestKit"),
    ],
    swiftLanguageModes: [.v6]
)
