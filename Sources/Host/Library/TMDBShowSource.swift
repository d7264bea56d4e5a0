import Foundation
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
}
