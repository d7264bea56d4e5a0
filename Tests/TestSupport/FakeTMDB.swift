import Foundation
import Hummingbird

/// A fake TMDB API: `/find`, `/search/tv`, `/tv/{id}`, `/tv/{id}/season/{n}`,
/// `/tv/{id}/alternative_titles` and `/tv/{id}/translations` over real HTTP.
public final class FakeTMDB: Sendable {
    /// A show the fake knows, with its episodes by season.
    public struct Show: Sendable {
        public var id: Int
        public var name: String
        public var firstAirDate: String?
        public var tvdbID: Int?
        public var imdbID: String?
        /// season number → episodes (number, title, runtime)
        public var seasons: [Int: [(number: Int, title: String, runtime: Int)]]
        /// `/tv/{id}/alternative_titles`: (title, country such as `JP`).
        public var alternativeTitles: [(title: String, country: String)]
        /// `/tv/{id}/translations`: (language such as `de`, country, name; "" as TMDB sends for
        /// a translation with no name of its own).
        public var translations: [(language: String, country: String, name: String)]

        public init(id: Int, name: String, firstAirDate: String? = nil, tvdbID: Int? = nil, imdbID: String? = nil,
                    seasons: [Int: [(number: Int, title: String, runtime: Int)]] = [:],
                    alternativeTitles: [(title: String, country: String)] = [],
                    translations: [(language: String, country: String, name: String)] = []) {
            self.id = id
            self.name = name
            self.firstAirDate = firstAirDate
            self.tvdbID = tvdbID
            self.imdbID = imdbID
            self.seasons = seasons
            self.alternativeTitles = alternativeTitles
            self.translations = translations
        }
    }

    /// An episode known by an external id (tvdb number or imdb tt-id).
    public struct EpisodeID: Sendable {
        public var externalID: String
        public var episodeID: Int
        public var showID: Int
        public var season: Int
        public var episode: Int

        public init(externalID: String, episodeID: Int, showID: Int, season: Int, episode: Int) {
            self.externalID = externalID
            self.episodeID = episodeID
            self.showID = showID
            self.season = season
            self.episode = episode
        }
    }

    public let apiKey: String
    /// The fault script this fake applies before answering; it also counts requests.
    public let faults: FaultScript
    public let server: FakeServer
    public var baseURL: String { server.baseURL }

    private init(apiKey: String, server: FakeServer, faults: FaultScript) {
        self.apiKey = apiKey
        self.server = server
        self.faults = faults
    }

    /// Starts a fake that accepts `apiKey` as a v3 key or a v4 bearer token.
    public static func start(apiKey: String = "test-tmdb-key", shows: [Show], episodes: [EpisodeID] = [])
        async throws -> FakeTMDB
    {
        let script = FaultScript()
        let router = Router()
        router.add(middleware: FaultMiddleware(script: script))
        router.add(middleware: KeyCheck(apiKey: apiKey))
        let byID = Dictionary(shows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        router.get("find/:id") { request, context -> Response in
            let id = context.parameters.get("id") ?? ""
            let source = request.uri.queryParameters["external_source"].map(String.init) ?? ""
            let showHits = shows.filter {
                source == "tvdb_id" ? $0.tvdbID.map(String.init) == id : $0.imdbID == id
            }
            let episodeHits = episodes.filter { $0.externalID == id }
            return JSONResponse.make(object: [
                "movie_results": [Any](),
                "tv_results": showHits.map(Self.summary),
                "tv_episode_results": episodeHits.map {
                    ["id": $0.episodeID, "show_id": $0.showID, "season_number": $0.season,
                     "episode_number": $0.episode] as [String: Any]
                },
            ])
        }
        router.get("search/tv") { request, _ -> Response in
            let query = (request.uri.queryParameters["query"].map(String.init) ?? "").lowercased()
            let year = request.uri.queryParameters["first_air_date_year"].map(String.init)
            let hits = shows.filter {
                $0.name.lowercased().contains(query) && (year == nil || $0.firstAirDate?.hasPrefix(year!) == true)
            }
            return JSONResponse.make(object: ["page": 1, "results": hits.map(Self.summary)])
        }
        router.get("tv/:id") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let show = byID[id] else {
                return JSONResponse.make(#"{"status_code": 34}"#, status: .notFound)
            }
            var body = Self.summary(show)
            body["status"] = "Returning Series"
            body["seasons"] = show.seasons.keys.sorted().map {
                ["season_number": $0, "name": "Season \($0)", "episode_count": show.seasons[$0]!.count] as [String: Any]
            }
            body["external_ids"] = ["tvdb_id": show.tvdbID as Any, "imdb_id": show.imdbID as Any]
            return JSONResponse.make(object: body)
        }
        router.get("tv/:id/alternative_titles") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let show = byID[id] else {
                return JSONResponse.make(#"{"status_code": 34}"#, status: .notFound)
            }
            return JSONResponse.make(object: [
                "id": id,
                "results": show.alternativeTitles.map { ["title": $0.title, "iso_3166_1": $0.country, "type": ""] },
            ])
        }
        router.get("tv/:id/translations") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let show = byID[id] else {
                return JSONResponse.make(#"{"status_code": 34}"#, status: .notFound)
            }
            return JSONResponse.make(object: [
                "id": id,
                "translations": show.translations.map {
                    ["iso_639_1": $0.language, "iso_3166_1": $0.country, "name": $0.language, "english_name": $0.language,
                     "data": ["name": $0.name, "overview": ""]] as [String: Any]
                },
            ])
        }
        router.get("tv/:id/season/:season") { _, context -> Response in
            guard let id = context.parameters.get("id", as: Int.self), let show = byID[id],
                  let number = context.parameters.get("season", as: Int.self), let episodes = show.seasons[number]
            else { return JSONResponse.make(#"{"status_code": 34}"#, status: .notFound) }
            return JSONResponse.make(object: [
                "season_number": number, "name": "Season \(number)",
                "episodes": episodes.map {
                    ["episode_number": $0.number, "name": $0.title, "runtime": $0.runtime,
                     "air_date": "2020-01-0\(min($0.number, 9))"] as [String: Any]
                },
            ])
        }
        let server = try await FakeServer.start(router: router, name: "tmdb")
        return FakeTMDB(apiKey: apiKey, server: server, faults: script)
    }

    public func stop() async { await server.stop() }

    private static func summary(_ show: Show) -> [String: Any] {
        ["id": show.id, "name": show.name, "original_name": show.name, "first_air_date": show.firstAirDate ?? ""]
    }

    /// Refuses requests without the key, as TMDB does, with 401.
    private struct KeyCheck<Context: RequestContext>: RouterMiddleware {
        let apiKey: String

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
            async throws -> Response
        {
            let queryKey = request.uri.queryParameters["api_key"].map(String.init)
            let bearer = request.headers[.authorization]
            guard queryKey == apiKey || bearer == "Bearer \(apiKey)" else {
                return JSONResponse.make(#"{"status_code": 7, "status_message": "Invalid API key"}"#,
                                         status: .unauthorized)
            }
            return try await next(request, context)
        }
    }
}
