// swift-tools-version:6.0
import PackageDescription

// BoardPack builds and runs on Linux (Debian): it calls Linux's syncfs and finds libxml2, libcrypto
// and zlib with pkg-config. No `platforms` are claimed: no Apple platform is built or tested.
let package = Package(
    name: "BoardPack",
    products: [
        .executable(name: "boardpack", targets: ["boardpack"])
    ],
    // Each dependency pinned to the version tested; a new version is a reviewed change.
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        // .xlsx inputs and .docx outputs: the ZIP container (inflate, deflate, CRC).
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
    ],
    targets: [
        // System libraries, and the one C shim (syncfs, signals).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "CPlatform", linkerSettings: [.linkedLibrary("z")]),

        // The stages, in the order a build runs them. Dependencies point one way: each stage sees
        // Core and the stages before it, never after.
        // Core: the values every stage shares (money, periods, the dataset, diagnostics), and the
        // primitives they are read and worked with (regular-file reading, the worker pool).
        .target(name: "BoardPackCore", dependencies: ["CPlatform"]),
        // Ingest: CSV, XML and .xlsx inputs into a Dataset, every problem located.
        .target(
            name: "BoardPackIngest",
            dependencies: [
                "BoardPackCore", "CLibXML2", "CPlatform", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Analysis: the finance, QIPP and SPC figures of each pack, from a Dataset.
        .target(name: "BoardPackAnalysis", dependencies: ["BoardPackCore"]),
        // Render: view models, templates, charts and figures.json, as bytes; it writes no file.
        .target(
            name: "BoardPackRender",
            dependencies: [
                "BoardPackCore", "BoardPackAnalysis",
                // Word documents (.docx): the ZIP container.
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        // Publish: a finished set of files into the output folder, atomically, under a lock.
        .target(name: "BoardPackPublish", dependencies: ["BoardPackCore", "CPlatform"]),
        // Pipeline: a build from end to end (configuration, stages, manifest, PDF).
        .target(
            name: "BoardPackPipeline",
            dependencies: [
                "BoardPackCore", "BoardPackIngest", "BoardPackAnalysis", "BoardPackRender", "BoardPackPublish",
                "COpenSSL", "CPlatform", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The sample inputs `boardpack sample` writes (CSV, XML and .xlsx).
        .target(
            name: "BoardPackSample",
            dependencies: ["BoardPackCore", .product(name: "ZIPFoundation", package: "ZIPFoundation")]
        ),
        // The command line.
        .executableTarget(
            name: "boardpack",
            dependencies: [
                "BoardPackCore", "BoardPackPipeline", "BoardPackSample", "BoardPackRender", "BoardPackPublish",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // Tests: the libraries' behaviour, and the binary as cron and CI run it.
        .testTarget(
            name: "BoardPackTests",
            dependencies: [
                "BoardPackCore", "BoardPackIngest", "BoardPackAnalysis", "BoardPackRender",
                "BoardPackPipeline", "BoardPackSample", "BoardPackPublish",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Fixtures", "Golden", "BadInputs"]
        ),
        .testTarget(
            name: "BoardPackEndToEndTests",
            dependencies: ["boardpack", "BoardPackCore", "BoardPackSample"]
        ),
    ]
)
