import Foundation
import Matchers
import Storage

/// Where a show made for "create new" came from.
enum ShowOrigin: String, Sendable {
    /// TMDB knew the Plex show's id: ids, titles, seasons and episodes from TMDB.
    case tmdb
    /// The Plex server's metadata: title, year, ids and its episodes.
    case plex
    /// Only what the webhook said: title and year.
    case payload
}

/// Makes the tracker show a person asked for when resolving a conflict with `create_new`: from
/// TMDB when the Plex show's TMDB id can be known (its guids, the Plex server, or TMDB `/find`
/// on an episode id), else from the Plex server, else from the payload.
struct NewShowCreator: Sendable {
    let store: any Store
    let shows: ShowService
    let identifier: ShowIdentifier
    let plexServer: PlexServerLookup?

    /// Throws `ServiceError` `.notFound` when the conflict's mapping is gone, `.upstream` when
    /// TMDB or the Plex server cannot be asked.
    func create(for conflict: PlexConflict) async throws -> (Show, ShowOrigin) {
        guard let mapping = try await store.mapping(id: conflict.mappingID) else {
            throw ServiceError.notFound("conflict \(conflict.id) has no mapping")
        }
        let reference = try await heldReference(conflict) ?? PlexShowReference(mapping.identity)
        let key = "plex-\(mapping.id)"
        if let existing = try await store.show(key: key) { return (existing, .payload) }
        do {
            let query = await identifier.query(for: reference)
            if let tmdbID = await identifier.tmdbID(of: query), let show = try await shows.addFromTMDB(tmdbID) {
                return (show, .tmdb)
            }
            if let input = try await plexServer?.showInput(for: reference, key: key) {
                return (try await shows.add(input), .plex)
            }
        } catch let error as ExternalServiceError {
            throw ServiceError(.upstream, "the new show could not be fetched: \(error)")
        }
        return (try await shows.add(ShowInput(key: key, title: reference.title, year: reference.year)), .payload)
    }

    /// The Plex show as the newest webhook the conflict holds describes it (with the episode's ids).
    private func heldReference(_ conflict: PlexConflict) async throws -> PlexShowReference? {
        let held = try await store.webhookLogs(WebhookLogFilter(conflictID: conflict.id, limit: 1))
        guard let log = held.items.first,
              let payload = try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(log.rawPayload.utf8))
        else { return nil }
        return PlexShowReference(payload)
    }
}
