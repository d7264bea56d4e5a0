import ArgumentParser
import Foundation
import Matchers
import Storage

/// `showmatch library`: the tracker's shows.
struct LibraryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "library",
        abstract: "Import, list, enrich and delete the tracker's shows; write a synthetic catalog.",
        subcommands: [Import.self, List.self, Enrich.self, Delete.self, Synth.self]
    )

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import shows from a catalog JSONL file (idempotent; all lines or none).")

        @Argument(help: "Catalog file: one show per line, as fixtures/README.md describes.")
        var file: String

        @OptionGroup var storageOptions: StorageOptions

        func run() async throws {
            let store = try await storageOptions.configuration().openStore()
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
            let store = try await storageOptions.configuration().openStore()
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

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a show with its seasons, episodes and watches; Plex shows mapped to it become unmapped.")

        @Argument(help: "The show's key (e.g. show-00481) or numeric id.")
        var key: String

        @OptionGroup var storageOptions: StorageOptions

        func run() async throws {
            let store = try await storageOptions.configuration().openStore()
            // The daemon's match index follows within its next idle check (the show count changed).
            let shows = ShowService(store: store, index: InMemoryShowIndex(), tmdb: nil)
            do {
                let show = try await shows.delete(reference: ShowReference(key))
                print("deleted \(show.key) (\(show.title)) with its episodes and watches")
            } catch let error as ServiceError {
                throw CommandFailure(error.message)
            }
        }
    }
}
