/// Turns one external id into the ids of the show it belongs to, as TMDB's `/find` does
/// (for tvdb and imdb ids, show or episode) and `/tv/{id}/external_ids` does (for a tmdb
/// show id).
///
/// Implementations: ``JSONLinesBridge`` (a file, for benchmarks and tests), ``NoIDBridge``;
/// the daemon plugs in a TMDB client. Answer `nil` when the id is unknown; throw only when the
/// service could not be asked (the chain then records the error and goes on without it).
public protocol IDBridge: Sendable {
    /// The show that `id` names (`level == .show`) or whose episode it names
    /// (`level == .episode`), or `nil` when unknown.
    ///
    /// - Throws: when the lookup itself failed (network, quota); not for unknown ids.
    func resolve(_ id: ExternalID, level: IDLevel) async throws -> BridgedShow?
}

/// What an ``IDBridge`` knows about a show: its ids, and for an episode id, where the episode
/// sits in it.
public struct BridgedShow: Sendable, Hashable, Codable {
    public var tmdbID: Int?
    public var tvdbID: Int?
    public var imdbID: String?
    /// For an episode id: the episode's season and number in the show.
    public var seasonNumber: Int?
    public var episodeNumber: Int?

    public init(
        tmdbID: Int? = nil, tvdbID: Int? = nil, imdbID: String? = nil,
        seasonNumber: Int? = nil, episodeNumber: Int? = nil
    ) {
        self.tmdbID = tmdbID
        self.tvdbID = tvdbID
        self.imdbID = imdbID
        self.seasonNumber = seasonNumber
        self.episodeNumber = episodeNumber
    }

    /// The show's ids as a list.
    public var ids: [ExternalID] {
        var ids: [ExternalID] = []
        if let tmdbID { ids.append(.tmdb(tmdbID)) }
        if let tvdbID { ids.append(.tvdb(tvdbID)) }
        if let imdbID { ids.append(.imdb(imdbID)) }
        return ids
    }

    enum CodingKeys: String, CodingKey {
        case tmdbID = "tmdb_id"
        case tvdbID = "tvdb_id"
        case imdbID = "imdb_id"
        case seasonNumber = "season_number"
        case episodeNumber = "episode_number"
    }
}

/// An ``IDBridge`` that knows nothing: every id is unknown.
public struct NoIDBridge: IDBridge {
    public init() {}
    public func resolve(_ id: ExternalID, level: IDLevel) async throws -> BridgedShow? { nil }
}
