import Foundation
import Matchers
import Storage

/// Adds a show to the tracker from TMDB, with its seasons and episodes, and to the match index.
struct ShowAdder: Sendable {
    let tmdb: TMDBClient?
    let store: any Store
    let index: InMemoryShowIndex

    /// The tracker show for a TMDB id, added from TMDB when missing; nil when TMDB does not know it.
    ///
    /// Throws `ExternalServiceError` when TMDB cannot be asked, or a `StoreError`.
    func show(tmdbID: Int) async throws -> Show? {
        if let existing = try await store.show(tmdbID: tmdbID) { return existing }
        guard let tmdb, let details = try await tmdb.show(id: tmdbID) else { return nil }
        var seasons: [SeasonInput] = []
        for summary in details.seasons ?? [] {
            guard let season = try await tmdb.season(showID: tmdbID, number: summary.seasonNumber) else { continue }
            seasons.append(SeasonInput(
                number: summary.seasonNumber, title: summary.name,
                episodes: season.episodes.map {
                    EpisodeInput(number: $0.episodeNumber, title: $0.name, runtimeMinutes: $0.runtime, airDate: $0.airDate)
                }))
        }
        let input = ShowInput(
            key: "tmdb-\(tmdbID)", title: details.name,
            originalTitle: details.originalName == details.name ? nil : details.originalName,
            year: details.year, tmdbID: tmdbID, tvdbID: details.externalIDs?.tvdbID,
            imdbID: details.externalIDs?.imdbID, status: "active", seasons: seasons)
        return try await add(input)
    }

    /// A show a person creates from what Plex says (no TMDB record).
    func show(plexTitle: String, year: Int?, key: String) async throws -> Show {
        if let existing = try await store.show(key: key) { return existing }
        return try await add(ShowInput(key: key, title: plexTitle, year: year))
    }

    private func add(_ input: ShowInput) async throws -> Show {
        let show = try await store.upsertShow(input)
        index.upsert(CatalogShow(
            id: show.key, title: show.title, originalTitle: show.originalTitle, year: show.year, tmdbID: show.tmdbID,
            tvdbID: show.tvdbID, imdbID: show.imdbID, aliases: show.aliases))
        return show
    }
}
