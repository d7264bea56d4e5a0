import Foundation
import Matchers

/// Runs the matcher chain for a Plex show, first asking the Plex server for the show's own ids
/// when the webhook carries none (new-agent episodes carry only the episode's ids).
struct ShowIdentifier: Sendable {
    /// The running chain; a reload swaps it under the identifier.
    let chains: ChainHolder
    let index: InMemoryShowIndex
    let bridge: any IDBridge
    let plexServer: PlexServerLookup?

    func identify(_ show: PlexShowReference) async -> (query: ShowQuery, decision: MatchDecision) {
        let query = await query(for: show)
        return (query, await chains.chain.decide(query, index: index, bridge: bridge))
    }

    /// What the matchers are told about the show: the webhook's ids, or the server's when the
    /// webhook carries no show id.
    func query(for show: PlexShowReference) async -> ShowQuery {
        let query = show.query()
        guard query.showIDs.isEmpty, let metadata = await plexServer?.metadata(for: show) else { return query }
        return show.query(serverGUIDs: metadata.guids, serverYear: metadata.year)
    }

    /// The show's TMDB id when some id pins it down, even if the tracker lacks the show.
    func tmdbID(of query: ShowQuery) async -> Int? {
        if let id = query.tmdbIDs.first { return id }
        let levels = query.showIDs.map { ($0, IDLevel.show) } + query.episodeIDs.map { ($0, IDLevel.episode) }
        for (id, level) in levels {
            if case .tmdb = id, level == .episode { continue }
            if let found = try? await bridge.resolve(id, level: level)?.tmdbID { return found }
        }
        return nil
    }
}
