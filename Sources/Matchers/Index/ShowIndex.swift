/// The tracker's shows as the matchers look them up: by id and by title.
///
/// Lookups are synchronous and must be cheap: a matcher calls several of them for every
/// query. "Not found" is an empty array or `nil`, never an error.
public protocol ShowIndex: Sendable {
    /// The number of shows in the index.
    var count: Int { get }
    /// The show with this tracker id.
    func show(id: String) -> CatalogShow?
    /// Shows whose tmdb id is `tmdbID` (normally one).
    func shows(tmdbID: Int) -> [CatalogShow]
    /// Shows whose tvdb id is `tvdbID` (normally one).
    func shows(tvdbID: Int) -> [CatalogShow]
    /// Shows whose imdb id is `imdbID` (normally one).
    func shows(imdbID: String) -> [CatalogShow]
    /// Shows whose title, original title or an alias matches `lookup`, best first, at most
    /// `limit`. Exact key matches come before romanization-folded ones, and those before
    /// similar-looking titles; a weaker tier is searched only when the stronger ones find
    /// nothing.
    func titleCandidates(for lookup: TitleLookup, limit: Int) -> [TitleHit]
}

extension ShowIndex {
    /// Shows carrying `id`.
    public func shows(for id: ExternalID) -> [CatalogShow] {
        switch id {
        case .tmdb(let value): shows(tmdbID: value)
        case .tvdb(let value): shows(tvdbID: value)
        case .imdb(let value): shows(imdbID: value)
        }
    }
}
