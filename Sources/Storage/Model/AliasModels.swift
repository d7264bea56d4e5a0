import Foundation
import Matchers

/// An alias of a tracker show as stored (`show_aliases`), with where it came from.
public struct StoredAlias: Sendable, Hashable, Codable {
    public var id: Int64
    public var showID: Int64
    public var title: String
    public var source: AliasSource
    /// A language code (`de`, lower case) or, for a title TMDB gives per country, a country code
    /// (`JP`, upper case); nil when unknown.
    public var language: String?
    public var createdAt: Date

    public init(id: Int64, showID: Int64, title: String, source: AliasSource, language: String?, createdAt: Date) {
        self.id = id
        self.showID = showID
        self.title = title
        self.source = source
        self.language = language
        self.createdAt = createdAt
    }

    /// The alias as the matchers see it.
    public var alias: ShowAlias { ShowAlias(title, source: source, language: language) }
}

/// What an alias write changed.
public struct AliasChange: Sendable, Hashable {
    /// The aliases written (new ones only).
    public var added: [StoredAlias]
    /// How many aliases were removed.
    public var removed: Int

    public init(added: [StoredAlias] = [], removed: Int = 0) {
        self.added = added
        self.removed = removed
    }
}
