import Foundation
import Hummingbird
import Storage

/// `GET /api/shows`, `GET` and `DELETE /api/shows/{id}`, and marking episodes by hand.
struct ShowsController {
    let service: ShowService
    var store: any Store { service.store }

    struct ShowItem: ResponseEncodable, Sendable {
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
        /// In a list: how many of its episodes the reader watched.
        var watchedEpisodes: Int?

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
        group.get { request, context -> ListResponse<ShowItem> in
            let query = QueryParameters(request: request)
            let (limit, offset) = try query.paging()
            let search = query.string("search")
            if let search, search.count > 200 { throw APIError(.badRequest, "at most 200 characters", field: "search") }
            let userID = try await reader(request, context)
            let page = try await store.shows(search: search, limit: limit, offset: offset)
            var items: [ShowItem] = []
            for show in page.items {
                var item = ShowItem(show)
                item.watchedEpisodes = try await store.totals(userID: userID, showID: show.id).watchedEpisodes
                items.append(item)
            }
            return ListResponse(items: items, total: page.total)
        }
        group.get(":id") { request, context -> DetailView in
            try await detail(showID: try context.id(), userID: try await reader(request, context))
        }
        group.delete(":id") { _, context -> ShowItem in
            try ShowPages.requireAdmin(context)
            return ShowItem(try await service.delete(id: try context.id()))
        }
        group.post(":id/episodes/:episode/watched") { request, context -> DetailView in
            let showID = try context.id()
            var body = MarkRequest()
            if request.headers[.contentLength].flatMap(Int.init) ?? 0 > 0 || request.headers[.transferEncoding] != nil {
                body = try await request.decodeJSON(MarkRequest.self, context: context)
            }
            let userID = try user(context)
            _ = try await service.markWatched(showID: showID, episodeID: try context.id("episode"), userID: userID,
                                              at: body.dateWatched)
            return try await detail(showID: showID, userID: userID)
        }
        group.delete(":id/episodes/:episode/watched") { _, context -> DetailView in
            let showID = try context.id()
            let userID = try user(context)
            _ = try await service.unmarkWatched(showID: showID, episodeID: try context.id("episode"), userID: userID)
            return try await detail(showID: showID, userID: userID)
        }
    }

    private func user(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.userID else { throw APIError(.unauthorized, "log in first") }
        return id
    }

    /// Whose tracker a read shows: the caller's, or for an admin the user `?user=ID` names.
    private func reader(_ request: Request, _ context: AppRequestContext) async throws -> Int64 {
        guard QueryParameters(request: request).string("user") != nil else { return try user(context) }
        let asked = try QueryParameters(request: request).int("user", in: 1...Int(Int32.max), default: 0)
        guard context.role == .admin else { throw APIError(.forbidden, "only an admin may read another user's tracker", field: "user") }
        guard try await store.user(id: Int64(asked)) != nil else { throw APIError(.notFound, "no user \(asked)", field: "user") }
        return Int64(asked)
    }

    private func detail(showID: Int64, userID: Int64) async throws -> DetailView {
        let detail = try await service.detail(id: showID, userID: userID)
        return DetailView(show: ShowItem(detail.show), watchedEpisodes: detail.totals.watchedEpisodes,
                          totalMinutes: detail.totals.minutesWatched, lastWatchedAt: detail.totals.lastWatchedAt,
                          seasons: detail.seasons)
    }
}
