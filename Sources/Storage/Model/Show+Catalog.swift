import Matchers

extension Show {
    /// The show as the matchers see it: its catalog aliases, then its stored ones.
    func catalogShow(stored: [StoredAlias]) -> CatalogShow {
        CatalogShow(
            id: key, title: title, originalTitle: originalTitle, year: year, tmdbID: tmdbID, tvdbID: tvdbID,
            imdbID: imdbID, aliases: aliases, sourcedAliases: stored.map(\.alias))
    }
}
