// swift-tools-version:6.0
//
// An example package that depends on libglove's `GloVe` library product and
// runs the main job through the Swift API: count, train, query, recommend.
//
// Here the dependency is the source tree itself (by path); elsewhere, depend on
// it by URL and version:
//     .package(url: "https://github.com/OWNER/libglove", from: "0.1.0")
import PackageDescription

let package = Package(
    name: "GloVeExample",
    dependencies: [
        .package(name: "libglove", path: "../../.."),
    ],
    targets: [
        .executableTarget(
            name: "GloVeExample",
            dependencies: [.product(name: "GloVe", package: "libglove")]
        ),
    ]
)
