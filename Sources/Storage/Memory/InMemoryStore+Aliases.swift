import Foundation
import Matchers

extension InMemoryStore: AliasStore {
    public func addAliases(showID: Int64, _ aliases: [ShowAlias]) async throws -> AliasChange? {
        guard let show = shows[showID] else { return nil }
        let existing = storedAliases(of: showID).map(\.alias)
        let added = AliasRules.additions(aliases, existing: existing, title: show.title, originalTitle: show.originalTitle)
            .map { insert(showID: showID, $0) }
        return AliasChange(added: added)
    }

    public func replaceAliases(showID: Int64, source: AliasSource, with aliases: [ShowAlias]) async throws
        -> AliasChange?
    {
        guard let show = shows[showID] else { return nil }
        let (remove, add) = AliasRules.replacement(
            source: source, proposed: aliases, existing: storedAliases(of: showID), title: show.title,
            originalTitle: show.originalTitle)
        for id in remove { showAliases[id] = nil }
        return AliasChange(added: add.map { insert(showID: showID, $0) }, removed: remove.count)
    }

    public func aliases(showID: Int64) async throws -> [StoredAlias] { storedAliases(of: showID) }

    public func removeAlias(showID: Int64, aliasID: Int64) async throws -> Bool {
        guard showAliases[aliasID]?.showID == showID else { return false }
        showAliases[aliasID] = nil
        return true
    }

    public func catalogShow(id: Int64) async throws -> CatalogShow? { shows[id].map { catalogShow($0) } }

    func catalogShow(_ show: Show) -> CatalogShow {
        CatalogShow(
            id: show.key, title: show.title, originalTitle: show.originalTitle, year: show.year,
            tmdbID: show.tmdbID, tvdbID: show.tvdbID, imdbID: show.imdbID, aliases: show.aliases,
            sourcedAliases: storedAliases(of: show.id).map(\.alias))
    }

    private func storedAliases(of showID: Int64) -> [StoredAlias] {
        showAliases.values.filter { $0.showID == showID }
            .sorted { ($0.source.rawValue, $0.title, $0.id) < ($1.source.rawValue, $1.title, $1.id) }
    }

    private func insert(showID: Int64, _ alias: ShowAlias) -> StoredAlias {
        let stored = StoredAlias(
            id: makeID(), showID: showID, title: alias.title, source: alias.source, language: alias.language,
            createdAt: Date())
        showAliases[stored.id] = stored
        return stored
    }
}
