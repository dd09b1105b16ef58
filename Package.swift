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
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // .xlsx inputs: the ZIP container (inflate, CRC). Pinned: a new version is a reviewed change.
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl"])]
        ),
        .target(name: "CPlatform"),
        .target(name: "BoardPackCore", dependencies: ["CPlatform"]),
        .target(
            name: "BoardPackIngest",
            dependencies: ["BoardPackCore", "CLibXML2", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        .target(name: "BoardPackAnalysis", dependencies: ["BoardPackCore"]),
        .target(
            name: "BoardPackRender",
            dependencies: [
                "BoardPackCore", "BoardPackAnalysis", "CPlatform",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "BoardPackSample",
            dependencies: ["BoardPackCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        .target(
            name: "BoardPackPipeline",
            dependencies: [
                "BoardPackCore", "BoardPackIngest", "BoardPackAnalysis", "BoardPackRender", "COpenSSL",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "boardpack",
            dependencies: [
                "BoardPackCore", "BoardPackPipeline", "BoardPackSample", "BoardPackRender",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BoardPackTests",
            dependencies: [
                "BoardPackCore", "BoardPackIngest", "BoardPackAnalysis", "BoardPackRender",
                "BoardPackPipeline", "BoardPackSample",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Fixtures", "Golden", "BadInputs"]
        ),
        .testTarget(
            name: "BoardPackEndToEndTests",
            dependencies: ["boardpack", "BoardPackSample"]
        ),
    ]
)
