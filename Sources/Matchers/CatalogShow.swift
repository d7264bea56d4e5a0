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
    /// Every alias with its source and language: the catalog's own first, then any others.
    public var sourcedAliases: [ShowAlias]

    /// The aliases' titles. Setting it replaces every alias with catalog aliases of these
    /// titles.
    public var aliases: [String] {
        get { sourcedAliases.map(\.title) }
        set { sourcedAliases = newValue.map { ShowAlias($0) } }
    }

    /// - Parameters:
    ///   - aliases: the catalog's own aliases (source ``AliasSource/catalog``).
    ///   - sourcedAliases: further aliases, each with its source; they come after `aliases`.
    public init(
        id: String,
        title: String,
        originalTitle: String? = nil,
        year: Int? = nil,
        tmdbID: Int? = nil,
        tvdbID: Int? = nil,
        imdbID: String? = nil,
        aliases: [String] = [],
        sourcedAliases: [ShowAlias] = []
    ) {
        self.id = id
        self.title = title
        self.originalTitle = originalTitle
        self.year = year
        self.tmdbID = tmdbID
        self.tvdbID = tvdbID
        self.imdbID = imdbID
        self.sourcedAliases = aliases.map { ShowAlias($0) } + sourcedAliases
    }

    enum CodingKeys: String, CodingKey {
        case id, title, year, aliases
        case originalTitle = "original_title"
        case tmdbID = "tmdb_id"
        case tvdbID = "tvdb_id"
        case imdbID = "imdb_id"
    }

    /// Reads the catalog format of `fixtures/README.md`; an `aliases` entry is a string or
    /// `{"title", "source", "language"}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        originalTitle = try c.decodeIfPresent(String.self, forKey: .originalTitle)
        year = try c.decodeIfPresent(Int.self, forKey: .year)
        tmdbID = try c.decodeIfPresent(Int.self, forKey: .tmdbID)
        tvdbID = try c.decodeIfPresent(Int.self, forKey: .tvdbID)
        imdbID = try c.decodeIfPresent(String.self, forKey: .imdbID)
        sourcedAliases = try c.decodeIfPresent([ShowAlias].self, forKey: .aliases) ?? []
    }

    /// Writes the catalog format: a plain catalog alias as a string, any other as an object.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encodeIfPresent(originalTitle, forKey: .originalTitle)
        try c.encodeIfPresent(year, forKey: .year)
        try c.encodeIfPresent(tmdbID, forKey: .tmdbID)
        try c.encodeIfPresent(tvdbID, forKey: .tvdbID)
        try c.encodeIfPresent(imdbID, forKey: .imdbID)
        var list = c.nestedUnkeyedContainer(forKey: .aliases)
        for alias in sourcedAliases {
            if alias.isPlain { try list.encode(alias.title) } else { try list.encode(alias) }
        }
    }
}
