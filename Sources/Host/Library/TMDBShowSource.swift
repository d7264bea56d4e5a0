import Foundation
import Matchers
import Storage

/// A tracker show built from TMDB: ids, titles, year, and every season's episodes with their
/// runtime and air date. Auto-add, "create new" and imports all use this one builder.
struct TMDBShowSource: Sendable {
    let tmdb: TMDBClient

    /// The show as TMDB has it; nil when TMDB does not know the id.
    ///
    /// Throws `ExternalServiceError` when TMDB cannot be asked.
    func show(tmdbID: Int) async throws -> ShowInput? {
        guard let details = try await tmdb.show(id: tmdbID) else { return nil }
        var seasons: [SeasonInput] = []
        for summary in details.seasons ?? [] {
            guard let season = try await tmdb.season(showID: tmdbID, number: summary.seasonNumber) else { continue }
            seasons.append(SeasonInput(
                number: summary.seasonNumber, title: summary.name,
                episodes: season.episodes.map {
                    EpisodeInput(number: $0.episodeNumber, title: $0.name, runtimeMinutes: $0.runtime, airDate: $0.airDate)
                }))
        }
        return ShowInput(
            key: "tmdb-\(tmdbID)", title: details.name,
            originalTitle: details.originalName == details.name ? nil : details.originalName,
            year: details.year, tmdbID: tmdbID, tvdbID: details.externalIDs?.tvdbID,
            imdbID: details.externalIDs?.imdbID, status: "active", seasons: seasons)
    }

    /// The show's other titles as TMDB lists them, as `tmdb` aliases: translations first (with
    /// their language, `de`), then alternative titles (with their country, `JP`); nil when TMDB
    /// does not know the id.
    ///
    /// Throws `ExternalServiceError` when TMDB cannot be asked.
    func titles(tmdbID: Int) async throws -> [ShowAlias]? {
        guard let translations = try await tmdb.translations(showID: tmdbID) else { return nil }
        let alternatives = try await tmdb.alternativeTitles(showID: tmdbID)?.results ?? []
        let translated = translations.translations.compactMap { item -> ShowAlias? in
            guard let name = item.data?.name, !name.isEmpty else { return nil }
            return ShowAlias(name, source: .tmdb, language: item.language?.lowercased())
        }
        let other = alternatives.compactMap { item -> ShowAlias? in
            guard let title = item.title, !title.isEmpty else { return nil }
            return ShowAlias(title, source: .tmdb, language: item.country?.uppercased())
        }
        return translated + other
    }
}
