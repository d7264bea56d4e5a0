/// Another name of a show, with where it came from and, when known, its language.
///
/// Decodes from a bare string (a catalog alias) or `{"title", "source", "language"}`; encodes
/// as the object.
public struct ShowAlias: Sendable, Hashable, Codable {
    public var title: String
    public var source: AliasSource
    /// A language code such as `de` or `ja`, when known.
    public var language: String?

    public init(_ title: String, source: AliasSource = .catalog, language: String? = nil) {
        self.title = title
        self.source = source
        self.language = language
    }

    /// Whether this is what a bare string in a catalog means: a catalog alias of no stated
    /// language.
    public var isPlain: Bool { source == .catalog && language == nil }

    enum CodingKeys: String, CodingKey {
        case title, source, language
    }

    public init(from decoder: any Decoder) throws {
        if let title = try? decoder.singleValueContainer().decode(String.self) {
            self.init(title)
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            try container.decode(String.self, forKey: .title),
            source: try container.decodeIfPresent(AliasSource.self, forKey: .source) ?? .catalog,
            language: try container.decodeIfPresent(String.self, forKey: .language))
    }
}

/// Where an alias came from: the catalog's own list, a person's confirmed mapping, or a
/// service such as TMDB. Any other name may be used.
public struct AliasSource: RawRepresentable, Sendable, Hashable, Codable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.init(rawValue: value)
    }

    /// The tracker library's own aliases (a bare string in `catalog.jsonl`).
    public static let catalog: AliasSource = "catalog"
    /// A Plex title a person confirmed for the show.
    public static let confirmed: AliasSource = "confirmed"
    /// TMDB alternative titles and translations.
    public static let tmdb: AliasSource = "tmdb"
    public static let tvdb: AliasSource = "tvdb"
    public static let anidb: AliasSource = "anidb"
    /// Scene-name exception lists.
    public static let scene: AliasSource = "scene"

    /// How a person names it: "TMDB", "the catalog", "a confirmed mapping".
    public var displayName: String {
        switch self {
        case .catalog: "the catalog"
        case .confirmed: "a confirmed mapping"
        case .tmdb: "TMDB"
        case .tvdb: "TVDB"
        case .anidb: "AniDB"
        case .scene: "scene names"
        default: rawValue
        }
    }

    public var description: String { rawValue }

    public static func < (lhs: AliasSource, rhs: AliasSource) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
