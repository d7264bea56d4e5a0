import Foundation

/// A show's ids as TMDB (or the Plex server) reports them.
struct ResolvedShowIDs: Codable, Sendable, Equatable {
    var tmdbID: Int?
    var tvdbID: Int?
    var imdbID: String?
    /// For an episode id: where the episode sits in the show.
    var seasonNumber: Int?
    var episodeNumber: Int?
}

/// Turns external ids — a show's or an episode's — into the show's TMDB id, through TMDB
/// `/find`, with every answer (found or not) kept in the persistent cache.
struct ShowIDResolver: Sendable {
    let tmdb: TMDBClient
    let cache: ConversionCache

    /// The show a TVDB or IMDb id belongs to, whether the id is the show's or one of its
    /// episodes'. Nil when TMDB knows no show for it.
    ///
    /// Throws `ExternalServiceError` when TMDB cannot be asked (and nothing is cached).
    func show(for id: String, source: TMDBClient.ExternalSource) async throws -> ResolvedShowIDs? {
        try await cache.cached(key: "tmdb:find:\(source.rawValue):\(id)") {
            guard let result = try await tmdb.find(id, source: source) else { return nil }
            if let show = result.tvResults.first {
                var ids = ResolvedShowIDs(tmdbID: show.id)
                switch source {
                case .tvdb: ids.tvdbID = Int(id)
                case .imdb: ids.imdbID = id
                }
                return ids
            }
            if let episode = result.tvEpisodeResults.first {
                return ResolvedShowIDs(tmdbID: episode.showID, seasonNumber: episode.seasonNumber,
                                       episodeNumber: episode.episodeNumber)
            }
            return nil
        }
    }
}
