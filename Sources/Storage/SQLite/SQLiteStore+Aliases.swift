import Foundation
import GRDB
import Matchers

extension SQLiteStore: AliasStore {
    // MARK: - Writes

    public func addAliases(showID: Int64, _ aliases: [ShowAlias]) async throws -> AliasChange? {
        try await write { db in
            guard let show = try Self.fetchShow(db, id: showID) else { return nil }
            let existing = try Self.fetchAliases(db, showID: showID).map(\.alias)
            let added = try AliasRules.additions(
                aliases, existing: existing, title: show.title, originalTitle: show.originalTitle
            ).map { try Self.insertAlias(db, showID: showID, $0) }
            return AliasChange(added: added)
        }
    }

    public func replaceAliases(showID: Int64, source: AliasSource, with aliases: [ShowAlias]) async throws
        -> AliasChange?
    {
        try await write { db in
            guard let show = try Self.fetchShow(db, id: showID) else { return nil }
            let (remove, add) = AliasRules.replacement(
                source: source, proposed: aliases, existing: try Self.fetchAliases(db, showID: showID),
                title: show.title, originalTitle: show.originalTitle)
            for id in remove {
                try db.execute(sql: "DELETE FROM show_aliases WHERE id = ?", arguments: [id])
            }
            let added = try add.map { try Self.insertAlias(db, showID: showID, $0) }
            return AliasChange(added: added, removed: remove.count)
        }
    }

    public func removeAlias(showID: Int64, aliasID: Int64) async throws -> Bool {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM show_aliases WHERE id = ? AND show_id = ?", arguments: [aliasID, showID])
            return db.changesCount > 0
        }
    }

    // MARK: - Reads

    public func aliases(showID: Int64) async throws -> [StoredAlias] {
        try await read { db in try Self.fetchAliases(db, showID: showID) }
    }

    public func catalogShow(id: Int64) async throws -> CatalogShow? {
        try await read { db in
            guard let show = try Self.fetchShow(db, id: id) else { return nil }
            return Self.catalogShow(show, stored: try Self.fetchAliases(db, showID: id))
        }
    }

    static func catalogShow(_ show: Show, stored: [StoredAlias]) -> CatalogShow {
        show.catalogShow(stored: stored)
    }

    static func fetchAliases(_ db: Database, showID: Int64) throws -> [StoredAlias] {
        try Row.fetchAll(
            db, sql: "SELECT * FROM show_aliases WHERE show_id = ? ORDER BY source, title, id", arguments: [showID]
        ).map(StoredAlias.init(row:))
    }

    /// Every stored alias by show id, for building the match index.
    static func fetchAllAliases(_ db: Database) throws -> [Int64: [StoredAlias]] {
        Dictionary(
            grouping: try Row.fetchAll(db, sql: "SELECT * FROM show_aliases ORDER BY show_id, source, title, id")
                .map(StoredAlias.init(row:)),
            by: \.showID)
    }

    private static func insertAlias(_ db: Database, showID: Int64, _ alias: ShowAlias) throws -> StoredAlias {
        let now = Date()
        try db.execute(
            sql: "INSERT INTO show_aliases (show_id, title, source, language, created_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [showID, alias.title, alias.source.rawValue, alias.language, now])
        return StoredAlias(
            id: db.lastInsertedRowID, showID: showID, title: alias.title, source: alias.source,
            language: alias.language, createdAt: now)
    }
}

extension StoredAlias {
    init(row: Row) {
        self.init(
            id: row["id"], showID: row["show_id"], title: row["title"],
            source: AliasSource(rawValue: row["source"]), language: row["language"], createdAt: row["created_at"])
    }
}
