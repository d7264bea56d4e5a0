import Foundation
import Matchers

/// The matchers' id bridge in the daemon: TMDB `/find` for tvdb and imdb ids (show or
/// episode), `/tv/{id}` for a show's tmdb id, every answer cached persistently.
struct TMDBIDBridge: IDBridge {
    let resolver: ShowIDResolver
    let tmdb: TMDBClient
    let cache: ConversionCache
    let metrics: ShowmatchMetrics?

    func resolve(_ id: ExternalID, level: IDLevel) async throws -> BridgedShow? {
        do {
            switch id {
            case .tvdb(let number):
                return try await resolver.show(for: String(number), source: .tvdb).map(Self.bridged)
            case .imdb(let text):
                return try await resolver.show(for: text, source: .imdb).map(Self.bridged)
            case .tmdb(let number):
                // A TMDB episode id cannot be turned into its show.
                guard level == .show else { return nil }
                let details = try await cache.cached(key: "tmdb:tv:\(number)") { try await tmdb.show(id: number) }
                return details.map {
                    BridgedShow(tmdbID: $0.id, tvdbID: $0.externalIDs?.tvdbID, imdbID: $0.externalIDs?.imdbID)
                }
            }
        } catch {
            metrics?.externalError()
            throw error
        }
    }

    private static func bridged(_ ids: ResolvedShowIDs) -> BridgedShow {
        BridgedShow(tmdbID: ids.tmdbID, tvdbID: ids.tvdbID, imdbID: ids.imdbID, seasonNumber: ids.seasonNumber,
                    episodeNumber: ids.episodeNumber)
    }
}
