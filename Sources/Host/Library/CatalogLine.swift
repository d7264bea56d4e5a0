import Foundation
import Storage

/// One line of a catalog JSONL file: a show, with optional seasons and episodes.
///
/// The format of the matching fixtures' `catalog.jsonl`, plus
/// `seasons: [{number, title?, episodes: [{number, title?, runtime?, air_date?}]}]`.
struct CatalogLine: Codable {
    var id: String
    var title: String
    var originalTitle: String?
    var year: Int?
    var tmdbID: Int?
    var tvdbID: Int?
    var imdbID: String?
    var aliases: [String]?
    var status: String?
    var seasons: [Season]?

    struct Season: Codable {
        var number: Int
        var title: String?
        var episodes: [Episode]?
    }

    struct Episode: Codable {
        var number: Int
        var title: String?
        var runtime: Int?
        var airDate: String?

        enum CodingKeys: String, CodingKey {
            case number, title, runtime
            case airDate = "air_date"
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, title, year, aliases, status, seasons
        case originalTitle = "original_title"
        case tmdbID = "tmdb_id"
        case tvdbID = "tvdb_id"
        case imdbID = "imdb_id"
    }

    var showInput: ShowInput {
        ShowInput(
            key: id, title: title, originalTitle: originalTitle, aliases: aliases ?? [], year: year, tmdbID: tmdbID,
            tvdbID: tvdbID, imdbID: imdbID, status: status ?? "active",
            seasons: (seasons ?? []).map { season in
                SeasonInput(
                    number: season.number, title: season.title,
                    episodes: (season.episodes ?? []).map {
                        EpisodeInput(number: $0.number, title: $0.title, runtimeMinutes: $0.runtime, airDate: $0.airDate)
                    })
            })
    }
}
