// swift-tools-version:6.0
//
// libglove: min-hash buckets, GloVe embeddings and bilinear recommenders.
//
// Products
// - `GloVe`: the pure-Swift core (no Foundation), for Swift packages.
// - `glove`: the C ABI as a dynamic library (libglove.so), declared in include/glove.h.
// - `glove-cli`: the command-line tool; `make` installs it as `build/bin/glove`
//   (SwiftPM cannot give an executable and a library product the same name).
//
// Release flags for the self-contained libglove.so (static stdlib, version script,
// soname) live in the Makefile: `unsafeFlags` here would stop other packages
// from depending on this one.
import PackageDescription

let package = Package(
    name: "libglove",
    products: [
        .library(name: "GloVe", targets: ["GloVe"]),
        .library(name: "glove", type: .dynamic, targets: ["GloVeCABI"]),
        .executable(name: "glove-cli", targets: ["GloVeCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // `swift package generate-documentation` (make docs); a plugin, not linked into anything.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        .target(name: "GloVe"),
        .systemLibrary(name: "CGloVe", path: "include"),
        .target(name: "GloVeCABI", dependencies: ["GloVe", "CGloVe"]),
        .executableTarget(
            name: "GloVeCLI",
            dependencies: ["GloVe", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GloVeTests", dependencies: ["GloVe", "TestSupport"]),
        .testTarget(name: "CABITests", dependencies: ["GloVeCABI", "CGloVe", "TestSupport"]),
    ]
)
