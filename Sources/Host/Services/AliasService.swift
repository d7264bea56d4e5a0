import Foundation
import Matchers
import Storage

/// A show's extra titles: the Plex titles people confirmed (learned when they resolve a conflict
/// or remap a show) and the titles TMDB lists. Every change goes to the store and to the match
/// index at once, so the next webhook sees it.
struct AliasService: Sendable {
    let store: any Store
    let index: InMemoryShowIndex

    /// The show's stored aliases. Throws `.notFound` for an unknown show.
    func aliases(showID: Int64) async throws -> [StoredAlias] {
        guard try await store.show(id: showID) != nil else { throw ServiceError.notFound("no show \(showID)") }
        return try await store.aliases(showID: showID)
    }

    /// Remembers `titles` as aliases of the show a person chose (source `confirmed`); titles
    /// the show already has are left alone. Returns the aliases added.
    @discardableResult
    func learn(showID: Int64, titles: [String]) async throws -> [StoredAlias] {
        let change = try await store.addAliases(showID: showID, titles.map { ShowAlias($0, source: .confirmed) })
        guard let change, !change.added.isEmpty else { return [] }
        try await refreshIndex(showID: showID)
        return change.added
    }

    /// The titles to learn from a conflict: its Plex title and the original title of any webhook
    /// it held whose payload has one.
    func titles(of conflict: PlexConflict) async throws -> [String] {
        let held = try await store.webhookLogs(WebhookLogFilter(conflictID: conflict.id, limit: 20)).items
        return [conflict.plexTitle] + held.compactMap(Self.originalTitle)
    }

    /// Makes the show's TMDB aliases exactly `aliases` (other sources are kept apart).
    @discardableResult
    func replaceTMDBTitles(showID: Int64, with aliases: [ShowAlias]) async throws -> AliasChange? {
        let change = try await store.replaceAliases(showID: showID, source: .tmdb, with: aliases)
        if let change, !change.added.isEmpty || change.removed > 0 { try await refreshIndex(showID: showID) }
        return change
    }

    /// A person removes one alias. Throws `.notFound` when the show has no such alias.
    func remove(showID: Int64, aliasID: Int64) async throws {
        guard try await store.removeAlias(showID: showID, aliasID: aliasID) else {
            throw ServiceError.notFound("show \(showID) has no alias \(aliasID)")
        }
        try await refreshIndex(showID: showID)
    }

    /// Puts the show, with every alias, back into the match index.
    func refreshIndex(showID: Int64) async throws {
        if let show = try await store.catalogShow(id: showID) { index.upsert(show) }
    }

    /// The show's original title in a stored webhook's payload, when it is there.
    static func originalTitle(of log: WebhookLog) -> String? {
        guard let payload = try? JSONDecoder().decode(PlexWebhookPayload.self, from: Data(log.rawPayload.utf8)),
              let metadata = payload.metadata
        else { return nil }
        let title = metadata.type == "show" ? metadata.originalTitle : metadata.grandparentOriginalTitle
        guard let title, !title.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return title
    }
}
