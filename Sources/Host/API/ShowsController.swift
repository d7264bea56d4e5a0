import Foundation
import Hummingbird
import Storage

/// `GET /api/shows`, `GET /api/shows/{id}`, and marking episodes by hand.
struct ShowsController {
    let store: any Store

    struct ShowItem: Encodable, Sendable {
        var id: Int64
        var key: String
        var title: String
        var originalTitle: String?
        var aliases: [String]
        var year: Int?
        var tmdbId: Int?
        var tvdbId: Int?
        var imdbId: String?
        var status: String

        init(_ show: Show) {
            id = show.id
            key = show.key
            title = show.title
            originalTitle = show.originalTitle
            aliases = show.aliases
            year = show.year
            tmdbId = show.tmdbID
            tvdbId = show.tvdbID
            imdbId = show.imdbID
            status = show.status
        }
    }

    struct DetailView: ResponseEncodable, Sendable {
        var show: ShowItem
        var watchedEpisodes: Int
        var totalMinutes: Int
        var lastWatchedAt: Date?
        var seasons: [SeasonDetail]

        func encode(to encoder: any Encoder) throws {
            try show.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(watchedEpisodes, forKey: .watchedEpisodes)
            try container.encode(totalMinutes, forKey: .totalMinutes)
            try container.encodeIfPresent(lastWatchedAt, forKey: .lastWatchedAt)
            try container.encode(seasons, forKey: .seasons)
        }

        enum Keys: String, CodingKey { case watchedEpisodes, totalMinutes, lastWatchedAt, seasons }
    }

    struct MarkRequest: Decodable, Sendable {
        var dateWatched: Date?
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get { request, _ -> ListResponse<ShowItem> in
            let query = QueryParameters(request: request)
            let (limit, offset) = try query.paging()
            let search = query.string("search")
            if let search, search.count > 200 { throw APIError(.badRequest, "at most 200 characters", field: "search") }
            let page = try await store.shows(search: search, limit: limit, offset: offset)
            return ListResponse(items: page.items.map(ShowItem.init), total: page.total)
        }
        group.get(":id") { _, context -> DetailView in
            try await detail(showID: try context.id(), userID: try user(context))
        }
        group.post(":id/episodes/:episode/watched") { request, context -> DetailView in
            let (showID, episode) = try await episode(context)
            var body = MarkRequest()
            if request.headers[.contentLength].flatMap(Int.init) ?? 0 > 0 || request.headers[.transferEncoding] != nil {
                body = try await request.decodeJSON(MarkRequest.self, context: context)
            }
            let userID = try user(context)
            _ = try await store.markWatched(WatchRequest(
                userID: userID, showID: showID, seasonNumber: episode.seasonNumber, episodeNumber: episode.number,
                watchedAt: body.dateWatched ?? Date(), setByHand: true))
            return try await detail(showID: showID, userID: userID)
        }
        group.delete(":id/episodes/:episode/watched") { _, context -> DetailView in
            let (showID, episode) = try await episode(context)
            let userID = try user(context)
            _ = try await store.unmarkWatched(userID: userID, episodeID: episode.id)
            return try await detail(showID: showID, userID: userID)
        }
    }

    private func user(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.userID else { throw APIError(.unauthorized, "log in first") }
        return id
    }

    private func episode(_ context: AppRequestContext) async throws -> (Int64, Episode) {
        let showID = try context.id()
        let episodeID = try context.id("episode")
        guard let episode = try await store.episode(id: episodeID), episode.showID == showID else {
            throw APIError(.notFound, "show \(showID) has no episode \(episodeID)")
        }
        return (showID, episode)
    }

    private func detail(showID: Int64, userID: Int64) async throws -> DetailView {
        guard let detail = try await store.showDetail(id: showID, userID: userID) else {
            throw APIError(.notFound, "no show \(showID)")
        }
        return DetailView(show: ShowItem(detail.show), watchedEpisodes: detail.totals.watchedEpisodes,
                          totalMinutes: detail.totals.minutesWatched, lastWatchedAt: detail.totals.lastWatchedAt,
                          seasons: detail.seasons)
    }
}
