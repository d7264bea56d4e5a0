import Foundation
import Matchers
import Storage

/// The tracker's shows and watches: everything that adds, deletes or marks goes through here,
/// so the match index follows the store.
struct ShowService: Sendable {
    let store: any Store
    let index: InMemoryShowIndex
    let tmdb: TMDBShowSource?

    // MARK: - Reads

    /// A show with its seasons and one user's watch state. Throws `.notFound`.
    func detail(id: Int64, userID: Int64) async throws -> ShowDetail {
        guard let detail = try await store.showDetail(id: id, userID: userID) else {
            throw ServiceError.notFound("no show \(id)")
        }
        return detail
    }

    /// The tracker show with this key, if any.
    func show(key: String) async throws -> Show? { try await store.show(key: key) }

    /// An episode of a show. Throws `.notFound` when the show has no such episode.
    func episode(showID: Int64, episodeID: Int64) async throws -> Episode {
        guard let episode = try await store.episode(id: episodeID), episode.showID == showID else {
            throw ServiceError.notFound("show \(showID) has no episode \(episodeID)")
        }
        return episode
    }

    // MARK: - Watches

    /// A watch Plex reported (or history holds): it never overwrites a stored date.
    func recordWatch(_ request: WatchRequest) async throws -> WatchResult? {
        var automatic = request
        automatic.setByHand = false
        return try await store.markWatched(automatic)
    }

    /// A person marks an episode watched, at `date` (now when nil): a hand-set date always wins.
    func markWatched(showID: Int64, episodeID: Int64, userID: Int64, at date: Date?) async throws -> Episode {
        let episode = try await episode(showID: showID, episodeID: episodeID)
        _ = try await store.markWatched(WatchRequest(
            userID: userID, showID: showID, seasonNumber: episode.seasonNumber, episodeNumber: episode.number,
            watchedAt: date ?? Date(), setByHand: true))
        return episode
    }

    /// A person removes an episode's watch.
    func unmarkWatched(showID: Int64, episodeID: Int64, userID: Int64) async throws -> Episode {
        let episode = try await episode(showID: showID, episodeID: episodeID)
        _ = try await store.unmarkWatched(userID: userID, episodeID: episode.id)
        return episode
    }

    // MARK: - Shows

    /// Adds (or updates, by key) a show and puts it in the match index.
    func add(_ input: ShowInput) async throws -> Show {
        let show = try await store.upsertShow(input)
        index.upsert(try await store.catalogShow(id: show.id) ?? show.catalogShow)
        return show
    }

    /// The tracker show with this TMDB id, added from TMDB when missing, with TMDB's other titles
    /// as its `tmdb` aliases; nil when there is no TMDB key or TMDB does not know the id. Throws
    /// `ExternalServiceError` when TMDB cannot be asked for the show (titles that cannot be
    /// fetched are left for `showmatch library enrich`).
    func addFromTMDB(_ tmdbID: Int) async throws -> Show? {
        try await addFromTMDBIfMissing(tmdbID)?.show
    }

    /// ``addFromTMDB(_:)``, saying whether the show is new to the tracker.
    func addFromTMDBIfMissing(_ tmdbID: Int) async throws -> (show: Show, isNew: Bool)? {
        if let existing = try await store.show(tmdbID: tmdbID) { return (existing, false) }
        guard let tmdb, let input = try await tmdb.show(tmdbID: tmdbID) else { return nil }
        let show = try await add(input)
        if let titles = try? await tmdb.titles(tmdbID: tmdbID) {
            try await AliasService(store: store, index: index).replaceTMDBTitles(showID: show.id, with: titles)
        }
        return (show, true)
    }

    /// Deletes a show with its seasons, episodes and watches; mappings to it become unmapped, so
    /// the next webhook of such a Plex show is matched again. Throws `.notFound`.
    func delete(id: Int64) async throws -> Show {
        guard let show = try await store.show(id: id) else { throw ServiceError.notFound("no show \(id)") }
        guard try await store.deleteShow(id: id) else { throw ServiceError.notFound("no show \(id)") }
        index.remove(id: show.key)
        return show
    }

    /// Deletes the show with this key or id. Throws `.notFound`.
    func delete(reference: ShowReference) async throws -> Show {
        do {
            return try await delete(id: try await reference.resolve(in: store).id)
        } catch let error as ServiceError where error.kind == .invalid {
            throw ServiceError.notFound("no tracker show \(reference.raw)")
        }
    }
}

extension Show {
    /// The show as the matchers see it.
    var catalogShow: CatalogShow {
        CatalogShow(id: key, title: title, originalTitle: originalTitle, year: year, tmdbID: tmdbID, tvdbID: tvdbID,
                    imdbID: imdbID, aliases: aliases)
    }
}
