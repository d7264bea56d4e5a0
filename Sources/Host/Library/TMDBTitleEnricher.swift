import Foundation
import Matchers
import Storage

/// `showmatch library enrich`: TMDB's alternative titles and translations of every tracker show
/// with a TMDB id, kept as its `tmdb` aliases (other sources untouched).
///
/// Each show's titles are cached (`id_conversion_cache`, key `tmdb-titles:<id>`), so a run that
/// stopped half-way resumes without asking TMDB again for the shows it did, and a second run
/// asks nothing and changes nothing. Rate limits and failures are `ResilientHTTPClient`'s: 429
/// waits for `Retry-After`, 5xx is retried with backoff; a show that still fails is counted and
/// left for the next run.
struct TMDBTitleEnricher: Sendable {
    let store: any Store
    let source: TMDBShowSource
    let cache: ConversionCache
    let aliases: AliasService

    struct Summary: Sendable, Equatable {
        var shows = 0
        /// Shows whose titles came from the cache (done by an earlier run).
        var fromCache = 0
        var aliasesAdded = 0
        var aliasesRemoved = 0
        /// Shows TMDB does not know.
        var unknown = 0
        /// Shows TMDB could not be asked about; a later run tries them again.
        var failed = 0
        var failures: [String] = []
    }

    static func cacheKey(_ tmdbID: Int) -> String { "tmdb-titles:\(tmdbID)" }

    /// Enriches every show with a TMDB id; `progress(done, total)` after each.
    func run(progress: (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        var shows: [Show] = []
        var offset = 0
        while true {
            let page = try await store.shows(search: nil, limit: 500, offset: offset)
            shows += page.items.filter { $0.tmdbID != nil }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { break }
        }
        var summary = Summary(shows: shows.count)
        progress(0, shows.count)
        for (done, show) in shows.enumerated() {
            guard let tmdbID = show.tmdbID else { continue }
            do {
                let key = Self.cacheKey(tmdbID)
                let titles: [ShowAlias]?
                switch await cache.lookup([ShowAlias].self, key: key) {
                case .hit(let cached):
                    titles = cached
                    summary.fromCache += 1
                case .knownMissing:
                    titles = nil
                    summary.fromCache += 1
                case .miss:
                    titles = try await source.titles(tmdbID: tmdbID)
                    await cache.store(titles, key: key)
                }
                if let titles {
                    let change = try await aliases.replaceTMDBTitles(showID: show.id, with: titles)
                    summary.aliasesAdded += change?.added.count ?? 0
                    summary.aliasesRemoved += change?.removed ?? 0
                } else {
                    summary.unknown += 1
                }
            } catch let error as ExternalServiceError {
                summary.failed += 1
                summary.failures.append("\(show.key) (tmdb \(tmdbID)): \(error)")
            }
            progress(done + 1, shows.count)
        }
        return summary
    }
}
