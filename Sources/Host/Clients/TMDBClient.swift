import Foundation
import Logging

/// The TMDB endpoints Showmatch uses, over `ResilientHTTPClient`.
///
/// A v3 API key goes in the `api_key` query parameter; a v4 read access token (a JWT) goes in
/// an `Authorization: Bearer` header. Neither appears in errors or logs.
struct TMDBClient: Sendable {
    /// Which external id `/find` looks up.
    enum ExternalSource: String, Sendable {
        case tvdb = "tvdb_id"
        case imdb = "imdb_id"
    }

    private let http: ResilientHTTPClient
    private let apiKey: String

    /// The circuit breaker of TMDB calls (open while TMDB keeps failing), for the alerts.
    var circuit: CircuitBreaker { http.breaker }

    init(baseURL: String, apiKey: String, policy: RetryPolicy = RetryPolicy(), logger: Logger) {
        self.http = ResilientHTTPClient(service: "TMDB", baseURL: baseURL, policy: policy, logger: logger)
        self.apiKey = apiKey
    }

    /// Looks up a show or episode by its TVDB or IMDb id; nil when TMDB knows nothing of it.
    func find(_ id: String, source: ExternalSource) async throws -> TMDBFindResult? {
        try await get(TMDBFindResult.self, path: "/find/\(Self.pathSegment(id))",
                      query: [("external_source", source.rawValue)])
    }

    /// Searches shows by name, optionally by first-air year.
    func searchTV(query: String, year: Int?) async throws -> [TMDBShowSummary] {
        var parameters = [("query", query)]
        if let year { parameters.append(("first_air_date_year", String(year))) }
        return try await get(TMDBSearchResults.self, path: "/search/tv", query: parameters)?.results ?? []
    }

    /// A show with its seasons and external ids; nil when the id is unknown.
    func show(id: Int) async throws -> TMDBShowDetails? {
        try await get(TMDBShowDetails.self, path: "/tv/\(id)", query: [("append_to_response", "external_ids")])
    }

    /// A season's episodes; nil when the show or season is unknown.
    func season(showID: Int, number: Int) async throws -> TMDBSeasonDetails? {
        try await get(TMDBSeasonDetails.self, path: "/tv/\(showID)/season/\(number)")
    }

    /// A show's alternative titles by country; nil when the id is unknown.
    func alternativeTitles(showID: Int) async throws -> TMDBAlternativeTitles? {
        try await get(TMDBAlternativeTitles.self, path: "/tv/\(showID)/alternative_titles")
    }

    /// A show's translations (its name per language); nil when the id is unknown.
    func translations(showID: Int) async throws -> TMDBTranslations? {
        try await get(TMDBTranslations.self, path: "/tv/\(showID)/translations")
    }

    private func get<T: Decodable>(_ type: T.Type, path: String, query: [(String, String)] = []) async throws -> T? {
        if isBearerToken {
            return try await http.getJSON(type, path: path, query: query,
                                          headers: [("Authorization", "Bearer \(apiKey)")])
        }
        return try await http.getJSON(type, path: path, query: query + [("api_key", apiKey)])
    }

    /// v4 tokens are JWTs (three dot-separated parts); v3 keys are 32 hex characters.
    private var isBearerToken: Bool { apiKey.split(separator: ".").count == 3 }

    private static func pathSegment(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
    }
}
