/// A show in the tracker's library, as the matchers see it.
///
/// `id` is the tracker's stable key for the show (the catalog's `id`, e.g. `show-00002`).
/// Any external id may be missing.
public struct CatalogShow: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var originalTitle: String?
    public var year: Int?
    public var tmdbID: Int?
    public var tvdbID: Int?
    public var imdbID: String?
    public var aliases: [String]

    public init(
        id: String,
        title: String,
        originalTitle: String? = nil,
        year: Int? = nil,
        tmdbID: Int? = nil,
        tvdbID: Int? = nil,
        imdbID: String? = nil,
        aliases: [String] = []
    ) {
        self.id = id
        self.title = title
        self.originalTitle = originalTitle
        self.year = year
        self.tmdbID = tmdbID
        self.tvdbID = tvdbID
        self.imdbID = imdbID
        self.aliases = aliases
    }

    enum CodingKeys: String, CodingKey {
        case id, title, year, aliases
        case originalTitle = "original_title"
        case tmdbID = "tmdb_id"
        case tvdbID = "tvdb_id"
        case imdbID = "imdb_id"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        originalTitle = try c.decodeIfPresent(String.self, forKey: .originalTitle)
        year = try c.decodeIfPresent(Int.self, forKey: .year)
        tmdbID = try c.decodeIfPresent(Int.self, forKey: .tmdbID)
        tvdbID = try c.decodeIfPresent(Int.self, forKey: .tvdbID)
        imdbID = try c.decodeIfPresent(String.self, forKey: .imdbID)
        aliases = try c.decodeIfPresent([String].self, forKey: .aliases) ?? []
    }
}
