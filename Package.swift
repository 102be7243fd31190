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
    ],
    targets: [
        // MARK: C bindings — the only places with pointers.
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

        // MARK: The command line.
        .executableTarget(
            name: "xdsemu",
            dependencies: [
                "XDSServer", "XDSWire", "XDSModel", "XDSTransport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: Tests mirror modules.
        .testTarget(name: "XDSModelTests", dependencies: ["XDSModel"]),
        .testTarget(name: "XDSWireTests", dependencies: ["XDSWire", "XDSModel"]),
        .testTarget(name: "XDSTransportTests", dependencies: ["XDSTransport"]),
        .testTarget(name: "PushCoreTests", dependencies: ["PushCore", "XDSModel"]),
        .testTarget(
            name: "XDSServerTests",
            dependencies: ["XDSServer", "XDSWire", "XDSTransport", "XDSModel", "PushCore"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
