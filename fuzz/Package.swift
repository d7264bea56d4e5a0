// swift-tools-version: 6.1
// libFuzzer targets for Showmatch's parsers. Not part of the main package: these executables
// have no `main` of their own (libFuzzer's is linked in with `--sanitize fuzzer`). Build and run them with `make fuzz` (see docs/benchmarks.md).
//
// The code under test is the project's own source, reached through symbolic links: the
// Matchers module whole, Storage without its SQLite and PostgreSQL adapters (models, protocols, the in-memory
// store), and the few Host files that parse webhooks and catalog lines.
import PackageDescription

let package = Package(
    name: "showmatch-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.65.0"),
    ],
    targets: [
        .target(name: "Matchers", path: "Sources/Matchers"),
        .target(name: "Storage", dependencies: ["Matchers"], path: "Sources/Storage", exclude: ["SQLite", "Postgres"]),
        .executableTarget(name: "fuzz-plex-guid", dependencies: ["Matchers"], path: "Targets/PlexGUID"),
        .executableTarget(
            name: "fuzz-multipart",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            path: "Targets/Multipart"),
        .executableTarget(name: "fuzz-payload", path: "Targets/Payload"),
        .executableTarget(name: "fuzz-chain", dependencies: ["Matchers"], path: "Targets/Chain"),
        .executableTarget(
            name: "fuzz-catalog-line", dependencies: ["Storage", "Matchers"], path: "Targets/CatalogLine"),
    ]
)
