import Foundation

/// One row of an aliases file (`showmatch bench --aliases FILE.jsonl`): an extra title for a
/// catalog show, with its source and an optional language.
///
///     {"show_id": "show-00002", "title": "Eureka Seven", "source": "tmdb", "language": "de"}
public struct CatalogAlias: Sendable, Hashable, Codable {
    public var showID: String
    public var alias: ShowAlias

    public init(showID: String, alias: ShowAlias) {
        self.showID = showID
        self.alias = alias
    }

    enum CodingKeys: String, CodingKey {
        case title, source, language
        case showID = "show_id"
    }

    /// - Throws: `DecodingError` when `show_id`, `title` or `source` is missing.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        showID = try container.decode(String.self, forKey: .showID)
        alias = ShowAlias(
            try container.decode(String.self, forKey: .title),
            source: try container.decode(AliasSource.self, forKey: .source),
            language: try container.decodeIfPresent(String.self, forKey: .language))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(showID, forKey: .showID)
        try container.encode(alias.title, forKey: .title)
        try container.encode(alias.source, forKey: .source)
        try container.encodeIfPresent(alias.language, forKey: .language)
    }
}

extension BenchFixture {
    /// Adds each row's alias to its catalog show, after the show's own.
    ///
    /// - Throws: ``BenchFixtureError`` naming the first row (1-based) whose show is not in the
    ///   catalog.
    public mutating func addAliases(_ rows: [CatalogAlias]) throws {
        let positions = Dictionary(catalog.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (number, row) in rows.enumerated() {
            guard let position = positions[row.showID] else {
                throw BenchFixtureError(
                    message: "aliases row \(number + 1): show_id \(row.showID) is not in the catalog")
            }
            catalog[position].sourcedAliases.append(row.alias)
        }
    }

    /// Loads an aliases file and adds its rows (see ``addAliases(_:)``).
    ///
    /// - Throws: ``JSONLinesError`` naming a line that does not decode, ``BenchFixtureError``
    ///   for a show not in the catalog, or the file's read error.
    public mutating func addAliases(contentsOf url: URL) throws {
        try addAliases(try JSONLines.decode(CatalogAlias.self, contentsOf: url))
    }
}
