// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "BoardPack",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "boardpack", targets: ["boardpack"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .target(name: "BoardPackCore"),
        .target(
            name: "BoardPackIngest",
            dependencies: ["BoardPackCore", "CLibXML2"]
        ),
        .target(name: "BoardPackAnalysis", dependencies: ["BoardPackCore"]),
        .target(
            name: "BoardPackRender",
            dependencies: [
                "BoardPackCore", "BoardPackAnalysis",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(name: "BoardPackSample", dependencies: ["BoardPackCore"]),
        .target(
            name: "BoardPackPipeline",
            dependencies: ["BoardPackCore", "BoardPackIngest", "BoardPackAnalysis", "BoardPackRender"]
        ),
        .executableTarget(
            name: "boardpack",
            dependencies: [
                "BoardPackCore", "BoardPackPipeline", "BoardPackSample",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "BoardPackTests",
            dependencies: [
                "BoardPackCore", "BoardPackIngest", "BoardPackAnalysis", "BoardPackRender",
                "BoardPackPipeline", "BoardPackSample",
            ],
            exclude: ["Fixtures", "Golden"]
        ),
        .testTarget(
            name: "BoardPackEndToEndTests",
            dependencies: ["boardpack"]
        ),
    ]
)
