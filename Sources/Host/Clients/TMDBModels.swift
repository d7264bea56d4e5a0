import Foundation

/// What TMDB `/find/{external_id}` answers.
struct TMDBFindResult: Codable, Sendable, Equatable {
    var tvResults: [TMDBShowSummary]
    var tvEpisodeResults: [TMDBEpisodeReference]

    enum CodingKeys: String, CodingKey {
        case tvResults = "tv_results"
        case tvEpisodeResults = "tv_episode_results"
    }

    init(tvResults: [TMDBShowSummary] = [], tvEpisodeResults: [TMDBEpisodeReference] = []) {
        self.tvResults = tvResults
        self.tvEpisodeResults = tvEpisodeResults
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        tvResults = try container.decodeIfPresent([TMDBShowSummary].self, forKey: .tvResults) ?? []
        tvEpisodeResults = try container.decodeIfPresent([TMDBEpisodeReference].self, forKey: .tvEpisodeResults) ?? []
    }
}

/// A show as TMDB lists it in search and find results.
struct TMDBShowSummary: Codable, Sendable, Equatable {
    var id: Int
    var name: String
    var originalName: String?
    var firstAirDate: String?

    enum CodingKeys: String, CodingKey {
        case id, name
        case originalName = "original_name"
        case firstAirDate = "first_air_date"
    }

    /// The year of the first air date, when TMDB has one.
    var year: Int? { firstAirDate.flatMap { Int($0.prefix(4)) } }
}

/// An episode found by an external id: the show it belongs to and its position.
struct TMDBEpisodeReference: Codable, Sendable, Equatable {
    var id: Int
    var showID: Int
    var seasonNumber: Int?
    var episodeNumber: Int?

    enum CodingKeys: String, CodingKey {
        case id
        case showID = "show_id"
        case seasonNumber = "season_number"
        case episodeNumber = "episode_number"
    }
}

/// `/search/tv` results.
struct TMDBSearchResults: Decodable, Sendable {
    var results: [TMDBShowSummary]
}

/// `/tv/{id}?append_to_response=external_ids`.
struct TMDBShowDetails: Codable, Sendable, Equatable {
    var id: Int
    var name: String
    var originalName: String?
    var firstAirDate: String?
    var status: String?
    var seasons: [SeasonSummary]?
    var externalIDs: ExternalIDs?

    struct SeasonSummary: Codable, Sendable, Equatable {
        var seasonNumber: Int
        var name: String?
        var episodeCount: Int?

        enum CodingKeys: String, CodingKey {
            case name
            case seasonNumber = "season_number"
            case episodeCount = "episode_count"
        }
    }

    struct ExternalIDs: Codable, Sendable, Equatable {
        var tvdbID: Int?
        var imdbID: String?

        enum CodingKeys: String, CodingKey {
            case tvdbID = "tvdb_id"
            case imdbID = "imdb_id"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, status, seasons
        case originalName = "original_name"
        case firstAirDate = "first_air_date"
        case externalIDs = "external_ids"
    }

    var year: Int? { firstAirDate.flatMap { Int($0.prefix(4)) } }
}

/// `/tv/{id}/season/{n}`.
struct TMDBSeasonDetails: Codable, Sendable, Equatable {
    var seasonNumber: Int?
    var name: String?
    var episodes: [Episode]

    struct Episode: Codable, Sendable, Equatable {
        var episodeNumber: Int
        var name: String?
        var runtime: Int?
        var airDate: String?

        enum CodingKeys: String, CodingKey {
            case name, runtime
            case episodeNumber = "episode_number"
            case airDate = "air_date"
        }
    }

    enum CodingKeys: String, CodingKey {
        case name, episodes
        case seasonNumber = "season_number"
    }
}
