// swift-tools-version:6.0
// Fuzz targets, kept out of the main package so a normal build never sees them.
// Sources/BoardPackCore, BoardPackIngest, CLibXML2 and CPlatform here are symbolic links to
// the main package's, so that they are built with the fuzzer's coverage
// instrumentation (a dependency package would not be). Run with scripts/fuzz.
import PackageDescription

// Coverage instrumentation stated explicitly on the library targets: a first clean
// build has been seen to leave them uninstrumented with --sanitize=fuzzer alone.
let coverage: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer,address"])]

let package = Package(
    name: "BoardPackFuzz",
    dependencies: [
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .target(name: "CPlatform", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "BoardPackCore", dependencies: ["CPlatform"], swiftSettings: coverage),
        .target(
            name: "BoardPackIngest",
            dependencies: [
                "BoardPackCore", "CLibXML2", "CPlatform", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: coverage),
        .target(name: "BoardPackAnalysis", dependencies: ["BoardPackCore"], swiftSettings: coverage),
        .target(
            name: "BoardPackRender",
            dependencies: [
                "BoardPackCore", "BoardPackAnalysis", "CPlatform",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: coverage
        ),
        .executableTarget(
            name: "FuzzConfig",
            dependencies: ["BoardPackCore", "BoardPackAnalysis", "BoardPackIngest"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])] + coverage
        ),
        .executableTarget(
            name: "FuzzTemplate",
            dependencies: ["BoardPackRender"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])] + coverage
        ),
        .executableTarget(
            name: "FuzzCSV",
            dependencies: ["BoardPackIngest"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])] + coverage
        ),
        .executableTarget(
            name: "FuzzXLSX",
            dependencies: ["BoardPackIngest"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])] + coverage
        ),
        .executableTarget(
            name: "FuzzXML",
            dependencies: ["BoardPackIngest"],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])] + coverage
        ),
    ]
)
