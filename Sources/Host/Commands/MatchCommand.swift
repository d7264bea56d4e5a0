import ArgumentParser
import Foundation
import Matchers

/// `showmatch match`: one decision, explained.
struct MatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Decide which tracker show a Plex show is, and explain why.")

    @Option(help: "The Plex title, e.g. \"Bluey (2018)\".")
    var title: String

    @Option(help: "The Plex year.")
    var year: Int?

    @Option(name: .customLong("guid"), help: "A Plex GUID of the show (repeatable).")
    var guids: [String] = []

    @Option(name: .customLong("episode-guid"), help: "A GUID of one of its episodes (repeatable).")
    var episodeGUIDs: [String] = []

    @Option(help: "The Plex library section title.")
    var section: String?

    @Option(help: "A catalog.jsonl to match against instead of the tracker's library.")
    var catalog: String?

    @OptionGroup var storageOptions: StorageOptions

    @Option(help: "A bridge.jsonl answering id lookups (default: bridge.jsonl beside the catalog, if any).")
    var bridge: String?

    @Option(help: "The chain file (default: ./plugins.json, else the built-in chain).")
    var chain: String?

    @Flag(help: "Print the decision as JSON.")
    var json = false

    func run() async throws {
        let (matchChain, _) = try loadChain()
        let shows = try await loadShows()
        let index = MatchCommand.buildIndex(shows)
        let idBridge = try loadBridge()
        let query = ShowQuery(
            title: title, year: year, guids: guids, librarySection: section, episodeGUIDs: episodeGUIDs)
        let decision = await matchChain.decide(query, index: index, bridge: idBridge)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(decision), as: UTF8.self))
        } else {
            print(MatchCommand.render(decision))
        }
    }

    /// The seam for other show sources: everything that matches goes through an index built
    /// from catalog shows.
    static func buildIndex(_ shows: [CatalogShow]) -> InMemoryShowIndex {
        InMemoryShowIndex(shows: shows)
    }

    static func render(_ decision: MatchDecision) -> String {
        var lines: [String] = []
        switch decision.outcome {
        case .autoMapped:
            lines.append("AUTO-MAPPED → \(decision.showID ?? "?") (confidence \(format(decision.confidence)))")
        case .conflict: lines.append("CONFLICT: \(decision.candidates.count) candidate(s) for a person to choose from")
        case .noMatch: lines.append("NO MATCH")
        case .ignored: lines.append("IGNORED: \(decision.ignoreReason ?? "")")
        }
        lines += decision.explanation.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String { String(format: "%.2f", value) }

    private func loadChain() throws -> (MatchChain, String) {
        do {
            return try ChainLoading.load(path: chain)
        } catch {
            throw CommandFailure("chain \(chain ?? "plugins.json"): \(ChainLoading.describe(error))")
        }
    }

    /// The catalog file when given, else the tracker's library.
    private func loadShows() async throws -> [CatalogShow] {
        if let catalog {
            let url = URL(fileURLWithPath: catalog)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw CommandFailure("catalog \(catalog) does not exist")
            }
            return try JSONLines.decode(CatalogShow.self, contentsOf: url)
        }
        let config = try storageOptions.configuration()
        guard config.storage != .sqlite || FileManager.default.fileExists(atPath: config.databasePath) else {
            throw CommandFailure("no library at \(config.databasePath): import one with `showmatch library import` or pass --catalog")
        }
        let shows = try await config.openStore().catalogShows()
        guard !shows.isEmpty else {
            throw CommandFailure("the library in \(config.storageDescription) is empty: import shows with `showmatch library import`")
        }
        return shows
    }

    private func loadBridge() throws -> any IDBridge {
        guard let catalog else {
            guard let bridge else { return NoIDBridge() }
            guard FileManager.default.fileExists(atPath: bridge) else { throw CommandFailure("bridge \(bridge) does not exist") }
            return try JSONLinesBridge(contentsOf: URL(fileURLWithPath: bridge))
        }
        let path =
            bridge
            ?? URL(fileURLWithPath: catalog).deletingLastPathComponent().appendingPathComponent("bridge.jsonl").path
        guard FileManager.default.fileExists(atPath: path) else {
            if bridge != nil { throw CommandFailure("bridge \(path) does not exist") }
            return NoIDBridge()
        }
        return try JSONLinesBridge(contentsOf: URL(fileURLWithPath: path))
    }
}
