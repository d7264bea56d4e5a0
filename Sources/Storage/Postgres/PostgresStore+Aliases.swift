import Foundation
import Matchers
import PostgresNIO

extension PostgresStore: AliasStore {
    // MARK: - Writes

    public func addAliases(showID: Int64, _ aliases: [ShowAlias]) async throws -> AliasChange? {
        try await write { db in
            guard let show = try await Self.fetchShow(db, id: showID) else { return nil }
            let existing = try await Self.fetchAliases(db, showID: showID).map(\.alias)
            var added: [StoredAlias] = []
            for alias in AliasRules.additions(aliases, existing: existing, title: show.title,
                                              originalTitle: show.originalTitle) {
                added.append(try await Self.insertAlias(db, showID: showID, alias))
            }
            return AliasChange(added: added)
        }
    }

    public func replaceAliases(showID: Int64, source: AliasSource, with aliases: [ShowAlias]) async throws
        -> AliasChange?
    {
        try await write { db in
            guard let show = try await Self.fetchShow(db, id: showID) else { return nil }
            let (remove, add) = AliasRules.replacement(
                source: source, proposed: aliases, existing: try await Self.fetchAliases(db, showID: showID),
                title: show.title, originalTitle: show.originalTitle)
            for id in remove {
                try await db.execute("DELETE FROM show_aliases WHERE id = \(id)")
            }
            var added: [StoredAlias] = []
            for alias in add { added.append(try await Self.insertAlias(db, showID: showID, alias)) }
            return AliasChange(added: added, removed: remove.count)
        }
    }

    public func removeAlias(showID: Int64, aliasID: Int64) async throws -> Bool {
        try await write { db in
            try await db.execute("DELETE FROM show_aliases WHERE id = \(aliasID) AND show_id = \(showID) RETURNING 1") > 0
        }
    }

    // MARK: - Reads

    public func aliases(showID: Int64) async throws -> [StoredAlias] {
        try await read { db in try await Self.fetchAliases(db, showID: showID) }
    }

    public func catalogShow(id: Int64) async throws -> CatalogShow? {
        try await read { db in
            guard let show = try await Self.fetchShow(db, id: id) else { return nil }
            return show.catalogShow(stored: try await Self.fetchAliases(db, showID: id))
        }
    }

    static func fetchAliases(_ db: PostgresTransaction, showID: Int64) async throws -> [StoredAlias] {
        try await db.rows("SELECT * FROM show_aliases WHERE show_id = \(showID) ORDER BY source, title, id")
            .map(StoredAlias.init(record:))
    }

    /// Every stored alias by show id, for building the match index.
    static func fetchAllAliases(_ db: PostgresTransaction) async throws -> [Int64: [StoredAlias]] {
        Dictionary(
            grouping: try await db.rows("SELECT * FROM show_aliases ORDER BY show_id, source, title, id")
                .map(StoredAlias.init(record:)),
            by: \.showID)
    }

    private static func insertAlias(_ db: PostgresTransaction, showID: Int64, _ alias: ShowAlias) async throws
        -> StoredAlias
    {
        try StoredAlias(record: try await db.row("""
            INSERT INTO show_aliases (show_id, title, source, language, created_at)
            VALUES (\(showID), \(alias.title), \(alias.source.rawValue), \(alias.language), \(Date()))
            RETURNING *
            """)!)
    }
}
