import Foundation
import Matchers
import Storage

/// A tracker show built from a Plex Media Server's metadata: its title, year and ids, and its
/// episodes (`/library/metadata/{ratingKey}/allLeaves`) with titles, air dates and durations.
struct PlexShowSource: Sendable {
    let plex: PlexClient

    /// The show as the server has it; nil when the server does not know the ratingKey.
    ///
    /// Throws `ExternalServiceError` when the server cannot be asked.
    func show(serverURL: String, token: String, ratingKey: String, key: String) async throws -> ShowInput? {
        guard let metadata = try await plex.showMetadata(serverURL: serverURL, token: token, ratingKey: ratingKey),
              let title = metadata.title
        else { return nil }
        let leaves = try await plex.episodes(serverURL: serverURL, token: token, ratingKey: ratingKey)
        let query = ShowQuery(title: title, year: metadata.year, guids: metadata.guids)
        var seasons: [Int: [EpisodeInput]] = [:]
        for leaf in leaves {
            guard let season = leaf.season, let number = leaf.number, season >= 0, number >= 0 else { continue }
            seasons[season, default: []].append(EpisodeInput(
                number: number, title: leaf.title, runtimeMinutes: leaf.durationMs.map { Int(($0 + 30_000) / 60_000) },
                airDate: leaf.airDate))
        }
        return ShowInput(
            key: key, title: title, year: metadata.year, tmdbID: query.tmdbIDs.first, tvdbID: query.tvdbIDs.first,
            imdbID: query.imdbIDs.first,
            seasons: seasons.keys.sorted().map { SeasonInput(number: $0, episodes: seasons[$0] ?? []) })
    }
}
