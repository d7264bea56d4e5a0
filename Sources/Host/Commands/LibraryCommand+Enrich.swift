import ArgumentParser
import Foundation
import Logging
import Matchers
import Storage

extension LibraryCommand {
    /// `showmatch library enrich [--database PATH]`.
    struct Enrich: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fetch TMDB alternative titles and translations of every show with a TMDB id, as aliases "
                + "(resumable; cached; needs TMDB_API_KEY).")

        @OptionGroup var storageOptions: StorageOptions

        func run() async throws {
            let config = try storageOptions.configuration()
            guard let key = config.tmdbAPIKey else { throw CommandFailure("TMDB_API_KEY is not set") }
            let store = try await config.openStore()
            var logger = Logger(label: "showmatch")
            logger.logLevel = .warning
            let client = TMDBClient(baseURL: config.tmdbAPIBase, apiKey: key, policy: config.retryPolicy, logger: logger)
            // The daemon's match index takes the new titles when it next starts.
            let enricher = TMDBTitleEnricher(
                store: store, source: TMDBShowSource(tmdb: client), cache: ConversionCache(store: store),
                aliases: AliasService(store: store, index: InMemoryShowIndex()))
            var bar: TerminalProgressBar?
            let started = Date()
            let summary = try await enricher.run { done, total in
                if bar == nil { bar = TerminalProgressBar(total: total, label: "enriching") }
                bar?.update(done)
            }
            bar?.finish()
            let seconds = Date().timeIntervalSince(started)
            print(
                "enriched \(summary.shows) shows with a TMDB id: \(summary.aliasesAdded) titles added, "
                    + "\(summary.aliasesRemoved) removed, \(summary.fromCache) from the cache, "
                    + "\(summary.unknown) unknown to TMDB, \(summary.failed) failed "
                    + "in \(String(format: "%.2f", seconds)) s")
            if summary.failed > 0 {
                for failure in summary.failures.prefix(10) { FileHandle.standardError.write(Data("  \(failure)\n".utf8)) }
                throw CommandFailure("\(summary.failed) shows could not be asked about; run it again to resume")
            }
        }
    }
}
