// swift-tools-version:6.0
import PackageDescription

// The generator of Sources/BoardPackRender/ViewFields.swift, apart from the main package so that
// swift-syntax is built only where the generated file is checked (.ci/run) or regenerated
// (scripts/gen-view-fields), never for a build of BoardPack itself.
let package = Package(
    name: "BoardPackGenerators",
    dependencies: [
        .package(url: "https://github.com/swiftlang/swift-syntax", exact: "603.0.1")
    ],
    targets: [
        .executableTarget(
            name: "gen-view-fields",
            dependencies: [
                .product(name: "SwiftParser", package: "swift-syntax"),
                .product(name: "SwiftSyntax", package: "swift-syntax"),
            ]
        )
    ]
)
