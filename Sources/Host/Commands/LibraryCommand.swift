import ArgumentParser
import Foundation
import Storage

/// `showmatch library`: the tracker's shows.
struct LibraryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Import and list the tracker's shows.",
        subcommands: [Import.self, List.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import shows from a catalog JSONL file (idempotent; all lines or none).")

        @Argument(help: "Catalog file: one show per line, as fixtures/README.md describes.")
        var file: String

        @OptionGroup var storageOptions: StorageOptions

        func run() async throws {
            let store = try storageOptions.configuration().openStore()
            var bar: TerminalProgressBar?
            let started = Date()
            let summary = try await CatalogImporter(store: store).importFile(at: file) { done, total in
                if bar == nil { bar = TerminalProgressBar(total: total, label: "importing") }
                bar?.update(done)
            }
            bar?.finish()
            let seconds = Date().timeIntervalSince(started)
            print(
                "imported \(file): \(summary.inserted) added, \(summary.updated) updated, "
                    + "\(summary.unchanged) unchanged, \(summary.episodesAdded) episodes added "
                    + "in \(String(format: "%.2f", seconds)) s")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the tracker's shows.")

        @Option(help: "Only shows whose title contains this text.")
        var search: String?

        @Option(help: "How many shows to list.")
        var limit = 50

        @Option(help: "How many shows to skip.")
        var offset = 0

        @Flag(help: "One JSON object per line instead of a table.")
        var json = false

        @OptionGroup var storageOptions: StorageOptions

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit: must be at least 1") }
            guard offset >= 0 else { throw ValidationError("--offset: must not be negative") }
        }

        func run() async throws {
            let store = try storageOptions.configuration().openStore()
            let page = try await store.shows(search: search, limit: limit, offset: offset)
            if json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.dateEncodingStrategy = .iso8601
                for show in page.items { print(String(decoding: try encoder.encode(show), as: UTF8.self)) }
                return
            }
            for show in page.items {
                let year = show.year.map { " (\($0))" } ?? ""
                let ids = [show.tmdbID.map { "tmdb \($0)" }, show.tvdbID.map { "tvdb \($0)" }, show.imdbID]
                    .compactMap { $0 }.joined(separator: ", ")
                print("\(show.id)\t\(show.key)\t\(show.title)\(year)\t\(ids)")
            }
            print("\(page.items.count) of \(page.total) shows")
        }
    }
}
