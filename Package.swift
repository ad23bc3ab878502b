// swift-tools-version:6.0
import PackageDescription

// Module graph (see README "Architecture"):
//   AssureModel <- AssureStore <- assure
//   TerminalUI <- Workbench (-> AssureModel, store via its own protocol) <- assure
//   CNCursesW <- NCursesTerminal (the only module that imports curses) <- assure
let package = Package(
    name: "assure",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "assure", targets: ["assure"]),
        .executable(name: "AssureBench", targets: ["AssureBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        // SHA-256 for the change-log hash chain (ChangeLog.swift, `ChainHash`).
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        // The evidence package (`assure package`): a ZIP written entry by entry, streamed.
        .package(url: "https://github.com/weichsel/ZIPFoundation", exact: "0.9.20"),
        // Policy templates (`assure policy render`): values filled in by Mustache, escaped for HTML.
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        // A policy's Markdown as HTML, for `assure policy render --format html`.
        .package(url: "https://github.com/JohnSundell/Ink", exact: "0.6.0"),
        // The team workspace on a PostgreSQL server (`postgres://` workspaces, `assure copy`).
        .package(url: "https://github.com/vapor/postgres-nio", exact: "1.33.2"),
    ],
    targets: [
        // Build-time helper: turns catalogs, samples and themes into Swift string constants so the
        // installed binary needs no resource bundle and works from any directory.
        .executableTarget(name: "EmbedFiles"),
        .plugin(name: "EmbedPlugin", capability: .buildTool(), dependencies: ["EmbedFiles"]),

        .systemLibrary(
            name: "CNCursesW", pkgConfig: "ncursesw",
            providers: [.apt(["libncursesw5-dev"])]),
        .target(name: "AssureModel"),
        .target(
            name: "AssureStore",
            dependencies: [
                "AssureModel",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
            ],
            exclude: ["Catalogs"],
            plugins: ["EmbedPlugin"]),
        // SQLite's session extension: the rows a write changed, for the server to apply.
        .target(name: "CSQLiteSession", linkerSettings: [.linkedLibrary("sqlite3")]),
        // The same workspace on a PostgreSQL server: its tables, the copy between a file and a
        // server. Storage like AssureStore (whose internals it reaches through `package` access).
        .target(
            name: "AssureServerStore",
            dependencies: [
                "AssureModel", "AssureStore", "CSQLiteSession",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .target(name: "TerminalUI", dependencies: [.product(name: "Yams", package: "Yams")]),
        .target(name: "Workbench", dependencies: ["AssureModel", "TerminalUI"], plugins: ["EmbedPlugin"]),
        .target(name: "NCursesTerminal", dependencies: ["TerminalUI", "CNCursesW"]),
        // Wires the real workspace into the workbench's store protocol.
        .target(name: "AssureApp", dependencies: ["AssureModel", "AssureStore", "Workbench"]),
        .executableTarget(
            name: "assure",
            dependencies: [
                "AssureModel", "AssureStore", "AssureServerStore", "TerminalUI", "Workbench", "NCursesTerminal", "AssureApp",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .executableTarget(
            name: "AssureBench",
            dependencies: [
                "AssureModel", "AssureStore", "AssureServerStore", "TerminalUI", "Workbench", "AssureApp",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]),
        .target(
            name: "AssureTestSupport",
            dependencies: ["AssureModel", "AssureStore", "AssureServerStore", "TerminalUI", "Workbench", "AssureApp"]),

        .testTarget(name: "AssureModelTests", dependencies: ["AssureModel"]),
        // Property tests of the pure rules; they run on Swift Testing (PropertyBased needs it).
        .testTarget(
            name: "PropertyTests",
            dependencies: ["AssureModel", "TerminalUI", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "AssureStoreTests",
            dependencies: ["AssureStore", "AssureModel", "AssureTestSupport"],
            exclude: ["__Snapshots__"]),
        // Against a real PostgreSQL server: a throwaway cluster (Tests/postgres-cluster).
        .testTarget(
            name: "ServerStoreTests",
            dependencies: ["AssureServerStore", "AssureStore", "AssureModel", "AssureTestSupport"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "AssureTestSupport"]),
        .testTarget(
            name: "WorkbenchTests",
            dependencies: ["Workbench", "TerminalUI", "AssureStore", "AssureApp", "AssureTestSupport"],
            exclude: ["__Snapshots__"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["AssureTestSupport", "AssureStore", "AssureApp", "Workbench", "TerminalUI"]),
    ],
    swiftLanguageModes: [.v6]
)
