/// An id in one of the public TV databases.
public enum ExternalID: Sendable, Hashable, Codable, CustomStringConvertible {
    case tmdb(Int)
    case tvdb(Int)
    /// An IMDb id including its `tt` prefix.
    case imdb(String)

    /// "tmdb", "tvdb" or "imdb".
    public var source: String {
        switch self {
        case .tmdb: "tmdb"
        case .tvdb: "tvdb"
        case .imdb: "imdb"
        }
    }

    /// The id without its source: "30991", "tt0213338".
    public var value: String {
        switch self {
        case .tmdb(let id), .tvdb(let id): String(id)
        case .imdb(let id): id
        }
    }

    /// "tmdb:30991", "imdb:tt0213338".
    public var description: String {
        switch self {
        case .tmdb(let id): "tmdb:\(id)"
        case .tvdb(let id): "tvdb:\(id)"
        case .imdb(let id): "imdb:\(id)"
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ExternalID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not an external id: \(text)")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Parses the `source:value` form produced by ``description``.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        switch parts[0] {
        case "tmdb": guard let id = Int(parts[1]) else { return nil }; self = .tmdb(id)
        case "tvdb": guard let id = Int(parts[1]) else { return nil }; self = .tvdb(id)
        case "imdb": guard parts[1].hasPrefix("tt") else { return nil }; self = .imdb(parts[1])
        default: return nil
        }
    }
}

/// Whether an id names a show or one of its episodes (or seasons).
public enum IDLevel: String, Sendable, Hashable, Codable {
    case show
    case season
    case episode
}
