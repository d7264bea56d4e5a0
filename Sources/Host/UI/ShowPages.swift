import Foundation
import Hummingbird
import Storage

/// `/shows` (search the tracker) and `/shows/{id}`: seasons and episodes with watched dates,
/// marked or unmarked by hand; `/shows/{id}/delete` asks before a show is deleted.
struct ShowPages: Sendable {
    let pages: PageKit
    let service: ShowService

    /// The question before a show is deleted.
    struct DeletePage: Sendable {
        var layout: PageLayout
        var show: ShowRow
        var showID: Int64
        var episodeCount: Int
        var watchedEpisodes: Int
    }

    /// One show in a list.
    struct ShowRow: Sendable {
        var id: Int64
        var key: String
        var title: String
        var yearText: String
        var ids: String?

        init(_ show: Show) {
            id = show.id
            key = show.key
            title = show.title
            yearText = show.year.map { "(\($0))" } ?? ""
            ids = [show.tmdbID.map { "TMDB \($0)" }, show.tvdbID.map { "TVDB \($0)" }, show.imdbID.map { "IMDb \($0)" }]
                .compactMap { $0 }.joined(separator: " · ")
            if ids?.isEmpty == true { ids = nil }
        }
    }

    /// The shows list's model.
    struct ShowsPage: Sendable {
        var layout: PageLayout
        /// The search text; nil when there is none.
        var query: String?
        var rows: [ShowRow]
        var hasRows: Bool
        var total: Int
        var paging: Paging.Links
    }

    /// One show with its episodes.
    struct DetailPage: Sendable {
        var layout: PageLayout
        var show: ShowRow
        var showID: Int64
        var watchedEpisodes: Int
        var totalEpisodes: Int
        var hoursText: String
        var lastWatchedText: String
        var seasons: [SeasonBlock]
        var hasSeasons: Bool
        var switcher: UserSwitcher
        /// Other titles of the show (catalog, learned, TMDB), with the ones an admin may remove.
        var titles: [ShowTitleRow] = []
        var hasTitles: Bool = false
        var canEdit: Bool = false
    }

    /// A season's episodes.
    struct SeasonBlock: Sendable {
        var number: Int
        var name: String
        var watchedText: String
        var episodes: [EpisodeRow]
    }

    /// One episode and its watch.
    struct EpisodeRow: Sendable {
        var id: Int64
        var code: String
        var title: String
        var airDate: String
        var watched: Bool
        var watchedText: String
        var byHand: Bool
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("shows") { request, context -> Response in
            let query = String((request.uri.queryParameters["q"].map(String.init) ?? "").prefix(200))
                .trimmingCharacters(in: .whitespaces)
            let base = query.isEmpty
                ? "/shows" : "/shows?q=\(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
            var paging = Paging(request: request, base: base)
            let page = try await pages.store.shows(
                search: query.isEmpty ? nil : query, limit: Paging.pageSize, offset: paging.offset)
            paging.total = page.total
            if let first = paging.firstPageIfPastTheEnd { return .redirectToPage(first) }
            let model = ShowsPage(
                layout: await pages.layout("Shows", section: "/shows", request: request, context: context),
                query: query.isEmpty ? nil : query, rows: page.items.map(ShowRow.init),
                hasRows: !page.items.isEmpty, total: page.total, paging: paging.links)
            return pages.render("shows", model, request: request)
        }
        group.get("shows/:id") { request, context -> Response in
            let id = try context.id()
            let switcher = try await UserSwitcher.resolve(request: request, context: context, store: pages.store)
            let detail: ShowDetail
            do {
                detail = try await service.detail(id: id, userID: switcher.userID)
            } catch let error as ServiceError where error.kind == .notFound {
                throw ServiceError.notFound("There is no show \(id) in the tracker.")
            }
            var model = DetailPage(
                layout: await pages.layout(detail.show.title, section: "/shows", request: request, context: context),
                show: ShowRow(detail.show), showID: detail.show.id, watchedEpisodes: detail.totals.watchedEpisodes,
                totalEpisodes: detail.seasons.reduce(0) { $0 + $1.episodes.count },
                hoursText: String(format: "%.1f h", Double(detail.totals.minutesWatched) / 60),
                lastWatchedText: detail.totals.lastWatchedAt.map(DisplayFormat.dateTime) ?? "never",
                seasons: detail.seasons.map(Self.season), hasSeasons: !detail.seasons.isEmpty, switcher: switcher)
            model.titles = ShowTitleRow.rows(catalog: detail.show.aliases,
                                             stored: try await pages.store.aliases(showID: detail.show.id))
            model.hasTitles = !model.titles.isEmpty
            model.canEdit = context.role == .admin
            return pages.render("show", model, request: request)
        }
        group.post("shows/:id/episodes/:episode/watched") { request, context -> Response in
            let showID = try context.id()
            let episodeID = try context.id("episode")
            let form = try await FormFields.read(request)
            let switcher = try await UserSwitcher.resolve(request: request, context: context, store: pages.store,
                                                          asked: form["user"])
            let back = "/shows/\(showID)\(switcher.query)"
            if form["watched"] == "0" {
                let episode = try await service.unmarkWatched(showID: showID, episodeID: episodeID, userID: switcher.userID)
                return .redirectToPage("\(back)#episode-\(episode.id)",
                                       notice: .ok("\(Self.code(episode)) is no longer marked watched."))
            }
            let episode = try await service.markWatched(
                showID: showID, episodeID: episodeID, userID: switcher.userID, at: nil)
            return .redirectToPage("\(back)#episode-\(episode.id)", notice: .ok("\(Self.code(episode)) marked watched."))
        }
        group.get("shows/:id/delete") { request, context -> Response in
            try Self.requireAdmin(context)
            let detail = try await service.detail(id: try context.id(), userID: try user(context))
            let model = DeletePage(
                layout: await pages.layout("Delete \(detail.show.title)", section: "/shows", request: request,
                                           context: context),
                show: ShowRow(detail.show), showID: detail.show.id,
                episodeCount: detail.seasons.reduce(0) { $0 + $1.episodes.count },
                watchedEpisodes: detail.totals.watchedEpisodes)
            return pages.render("show-delete", model, request: request)
        }
        group.post("shows/:id/delete") { request, context -> Response in
            try Self.requireAdmin(context)
            let id = try context.id()
            let form = try await FormFields.read(request)
            guard form["confirm"] == "yes" else {
                return .redirectToPage("/shows/\(id)/delete", notice: .error("Tick the box to confirm the deletion."))
            }
            let show = try await service.delete(id: id)
            return .redirectToPage(
                "/shows", notice: .ok("\(show.title) was deleted with its episodes and watches; Plex shows mapped to it are unmapped."))
        }
    }

    static func requireAdmin(_ context: AppRequestContext) throws {
        guard context.role == .admin else { throw APIError(.forbidden, "only an admin may delete a show") }
    }

    private static func code(_ episode: Episode) -> String {
        String(format: "S%02dE%02d", episode.seasonNumber, episode.number)
    }

    private func user(_ context: AppRequestContext) throws -> Int64 {
        guard let id = context.userID else { throw APIError(.unauthorized, "Log in first.") }
        return id
    }

    static func season(_ season: SeasonDetail) -> SeasonBlock {
        let watched = season.episodes.filter(\.watched).count
        return SeasonBlock(
            number: season.number,
            name: season.number == 0 ? "Specials" : (season.title.map { "Season \(season.number): \($0)" } ?? "Season \(season.number)"),
            watchedText: "\(watched) of \(season.episodes.count) watched",
            episodes: season.episodes.map { episode in
                EpisodeRow(
                    id: episode.id, code: String(format: "S%02dE%02d", season.number, episode.number),
                    title: episode.title ?? "Episode \(episode.number)", airDate: episode.airDate ?? "—",
                    watched: episode.watched,
                    watchedText: episode.dateWatched.map(DisplayFormat.dateTime) ?? (episode.watched ? "watched" : "not watched"),
                    byHand: episode.setByHand)
            })
    }
}
