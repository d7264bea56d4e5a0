/// The precomputed keys of one query title, for ``ShowIndex/titleCandidates(for:limit:)``.
public struct TitleLookup: Sendable, Hashable {
    /// The title split into base and suffixes.
    public var parts: TitleParts
    /// Key of the whole title.
    public var fullKey: String
    /// Key of the title without a year or country suffix (equal to ``fullKey`` without one).
    public var baseKey: String
    /// ``fullKey`` with romanized long vowels folded.
    public var romanizationFoldedKey: String
    /// Trigrams of ``fullKey``.
    public var trigrams: [UInt64]
    /// Similar-looking titles below this Dice similarity are not returned.
    public var minimumSimilarity: Double

    /// Computes the keys of `title`.
    public init(title: String, minimumSimilarity: Double = 0.3) {
        self.init(parts: TitleParts(title), minimumSimilarity: minimumSimilarity)
    }

    /// Computes the keys of a title already split into parts.
    public init(parts: TitleParts, minimumSimilarity: Double = 0.3) {
        self.parts = parts
        fullKey = parts.fullKey
        baseKey = parts.baseKey
        romanizationFoldedKey = TitleNormalizer.romanizationFoldedKey(fullKey)
        trigrams = Trigrams.of(fullKey)
        self.minimumSimilarity = minimumSimilarity
    }
}

/// Which name of a catalog show matched.
public enum NameField: String, Sendable, Hashable, Codable {
    case title
    case originalTitle = "original_title"
    case alias
}

/// How a query title matched a catalog name, strongest first.
public enum TitleMatchKind: Sendable, Hashable {
    /// Same key.
    case exact
    /// The name's base equals the query's key: the name carries a suffix the query lacks.
    case catalogStripped(year: Int?, country: String?)
    /// Equal only once romanized long vowels are folded.
    case romanizationFolded
    /// Similar-looking: trigram Dice similarity in (0, 1).
    case similar(Double)
}

/// One catalog show whose name matched a query title.
public struct TitleHit: Sendable, Hashable {
    public var showID: String
    /// The catalog name that matched, as stored.
    public var matchedName: String
    public var field: NameField
    public var kind: TitleMatchKind
    /// Whether the query's year or country suffix was set aside to find this name.
    public var queryStripped: Bool
    /// Other shows carrying the same alias, when the name that matched is an alias: the
    /// alias then names none of them for sure.
    public var sharedWith: [String]
    /// The alias that matched, with its source and language, when ``field`` is `.alias`.
    public var alias: ShowAlias?

    public init(
        showID: String, matchedName: String, field: NameField, kind: TitleMatchKind,
        queryStripped: Bool = false, sharedWith: [String] = [], alias: ShowAlias? = nil
    ) {
        self.alias = alias
        self.showID = showID
        self.matchedName = matchedName
        self.field = field
        self.kind = kind
        self.queryStripped = queryStripped
        self.sharedWith = sharedWith
    }
}
