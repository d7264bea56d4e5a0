import Foundation

/// `/tv/{id}/alternative_titles`: titles by country.
struct TMDBAlternativeTitles: Codable, Sendable, Equatable {
    var results: [Title]

    struct Title: Codable, Sendable, Equatable {
        var title: String?
        /// The country, e.g. `JP`.
        var country: String?

        enum CodingKeys: String, CodingKey {
            case title
            case country = "iso_3166_1"
        }
    }

    init(results: [Title]) { self.results = results }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        results = try c.decodeIfPresent([Title].self, forKey: .results) ?? []
    }

    enum CodingKeys: String, CodingKey { case results }
}

/// `/tv/{id}/translations`: the show's name in each language TMDB has it in.
struct TMDBTranslations: Codable, Sendable, Equatable {
    var translations: [Translation]

    struct Translation: Codable, Sendable, Equatable {
        /// The language, e.g. `de`.
        var language: String?
        var country: String?
        var data: Content?

        struct Content: Codable, Sendable, Equatable {
            var name: String?
        }

        enum CodingKeys: String, CodingKey {
            case data
            case language = "iso_639_1"
            case country = "iso_3166_1"
        }
    }

    init(translations: [Translation]) { self.translations = translations }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        translations = try c.decodeIfPresent([Translation].self, forKey: .translations) ?? []
    }

    enum CodingKeys: String, CodingKey { case translations }
}
