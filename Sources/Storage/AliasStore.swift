import Foundation
import Matchers

/// A show's aliases with their sources (`show_aliases`): titles a person confirmed, titles from
/// TMDB, and so on. The catalog's own aliases stay on the show (`Show.aliases`).
///
/// Every method is one transaction; which titles are kept is `AliasRules`.
public protocol AliasStore: Sendable {
    /// Adds aliases to a show (`AliasRules.additions`); titles already stored with the same
    /// source are left as they are. Nil when the show is unknown.
    func addAliases(showID: Int64, _ aliases: [ShowAlias]) async throws -> AliasChange?
    /// Makes the show's aliases of `source` exactly `aliases` (`AliasRules.replacement`), leaving
    /// other sources alone. Nil when the show is unknown.
    func replaceAliases(showID: Int64, source: AliasSource, with aliases: [ShowAlias]) async throws -> AliasChange?
    /// The show's stored aliases, by source then title.
    func aliases(showID: Int64) async throws -> [StoredAlias]
    /// Removes one alias of a show; false when the show has no such alias.
    func removeAlias(showID: Int64, aliasID: Int64) async throws -> Bool
    /// The show as the matchers see it: its catalog aliases, then its stored ones.
    func catalogShow(id: Int64) async throws -> CatalogShow?
}
