import Foundation
import GRDB

extension SQLiteStore {
    // MARK: - Settings

    public func plexConfig() async throws -> PlexConfig? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM plex_config WHERE id = 1").map(PlexConfig.init(row:))
        }
    }

    public func savePlexConfig(_ config: PlexConfig) async throws {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO plex_config (id, plex_token_encrypted, plex_account_name, server_url, webhook_secret,
                        previous_webhook_secret, previous_secret_expires_at, auto_add_shows, auto_mark_watched,
                        sync_accounts, enabled, created_at, updated_at)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        plex_token_encrypted = excluded.plex_token_encrypted,
                        plex_account_name = excluded.plex_account_name, server_url = excluded.server_url,
                        webhook_secret = excluded.webhook_secret,
                        previous_webhook_secret = excluded.previous_webhook_secret,
                        previous_secret_expires_at = excluded.previous_secret_expires_at,
                        auto_add_shows = excluded.auto_add_shows, auto_mark_watched = excluded.auto_mark_watched,
                        sync_accounts = excluded.sync_accounts, enabled = excluded.enabled,
                        updated_at = excluded.updated_at
                    """,
                arguments: [
                    config.plexTokenEncrypted, config.plexAccountName, config.serverURL, config.webhookSecret,
                    config.previousWebhookSecret, config.previousSecretExpiresAt, config.autoAddShows,
                    config.autoMarkWatched, JSONColumn.encode(config.syncAccounts), config.enabled,
                    config.createdAt, config.updatedAt,
                ])
        }
    }

    public func deletePlexConfig() async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM plex_config WHERE id = 1")
            return db.changesCount > 0
        }
    }

    // MARK: - Mappings

    public func createMappingIfAbsent(_ draft: MappingDraft) async throws -> (mapping: PlexShowMapping, created: Bool) {
        guard (0...1).contains(draft.confidence) else { throw StoreError.invalid("confidence: must be in 0...1") }
        guard !draft.plexShowKey.isEmpty else { throw StoreError.invalid("plex_show_key: must not be empty") }
        return try await write { db in
            let now = Date()
            try db.execute(
                sql: """
                    INSERT INTO plex_show_mappings (server_uuid, plex_show_key, plex_rating_key, plex_title, plex_year,
                        show_id, confidence, method, status, confirmed_by_user, sync_enabled, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                    ON CONFLICT (server_uuid, plex_show_key) DO NOTHING
                    """,
                arguments: [
                    draft.serverUUID, draft.plexShowKey, draft.plexRatingKey, draft.plexTitle, draft.plexYear,
                    draft.showID, draft.confidence, draft.method, draft.status.rawValue, draft.confirmedByUser,
                    now, now,
                ])
            let created = db.changesCount > 0
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM plex_show_mappings WHERE server_uuid = ? AND plex_show_key = ?",
                arguments: [draft.serverUUID, draft.plexShowKey])!
            return (PlexShowMapping(row: row), created)
        }
    }

    public func mapping(id: Int64) async throws -> PlexShowMapping? {
        try await read { db in try Self.fetchMapping(db, id: id) }
    }

    public func mapping(serverUUID: String, plexShowKey: String) async throws -> PlexShowMapping? {
        try await read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM plex_show_mappings WHERE server_uuid = ? AND plex_show_key = ?"),
                arguments: [serverUUID, plexShowKey]
            ).map(PlexShowMapping.init(row:))
        }
    }

    public func updateMapping(id: Int64, _ update: MappingUpdate) async throws -> PlexShowMapping? {
        if let confidence = update.confidence, !(0...1).contains(confidence) {
            throw StoreError.invalid("confidence: must be in 0...1")
        }
        return try await write { db in
            guard var mapping = try Self.fetchMapping(db, id: id) else { return nil }
            mapping.apply(update)
            try Self.saveMapping(db, mapping)
            return try Self.fetchMapping(db, id: id)
        }
    }

    public func mappings(_ filter: MappingFilter) async throws -> Page<PlexShowMapping> {
        try await read { db in
            let statuses = filter.statuses.map { Array($0).map(\.rawValue).sorted() } ?? []
            let whereClause = statuses.isEmpty
                ? "" : "WHERE status IN (\(databaseQuestionMarks(count: statuses.count)))"
            let args = StatementArguments(statuses)
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plex_show_mappings \(whereClause)",
                                         arguments: args) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM plex_show_mappings \(whereClause) ORDER BY updated_at DESC, id DESC LIMIT ? OFFSET ?",
                arguments: args + [max(0, filter.limit), max(0, filter.offset)])
            return Page(items: rows.map(PlexShowMapping.init(row:)), total: total)
        }
    }

    // MARK: - Conflicts

    public func openConflict(
        mappingID: Int64, plexTitle: String, plexYear: Int?, candidatesJSON: String, explanationJSON: String
    ) async throws -> PlexConflict {
        try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO plex_conflicts (mapping_id, plex_title, plex_year, candidates, explanation, status,
                        created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)
                    ON CONFLICT (mapping_id) WHERE status = 'open' DO NOTHING
                    """, arguments: [mappingID, plexTitle, plexYear, candidatesJSON, explanationJSON, Date()])
            let row = try Row.fetchOne(
                db, sql: "SELECT * FROM plex_conflicts WHERE mapping_id = ? AND status = 'open'",
                arguments: [mappingID])!
            return PlexConflict(row: row)
        }
    }

    public func conflict(id: Int64) async throws -> PlexConflict? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM plex_conflicts WHERE id = ?", arguments: [id])
                .map(PlexConflict.init(row:))
        }
    }

    public func openConflict(forMapping mappingID: Int64) async throws -> PlexConflict? {
        try await read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM plex_conflicts WHERE mapping_id = ? AND status = 'open'"),
                arguments: [mappingID]
            ).map(PlexConflict.init(row:))
        }
    }

    public func conflicts(status: ConflictStatus?, limit: Int, offset: Int) async throws -> Page<PlexConflict> {
        try await read { db in
            let whereClause = status == nil ? "" : "WHERE status = ?"
            let args: StatementArguments = status.map { [$0.rawValue] } ?? []
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plex_conflicts \(whereClause)",
                                         arguments: args) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM plex_conflicts \(whereClause) ORDER BY created_at, id LIMIT ? OFFSET ?",
                arguments: args + [max(0, limit), max(0, offset)])
            return Page(items: rows.map(PlexConflict.init(row:)), total: total)
        }
    }

    public func resolveConflict(
        id: Int64, resolution: ConflictResolution, showID: Int64?, now: Date
    ) async throws -> PlexConflict? {
        if resolution != .ignore && showID == nil {
            throw StoreError.invalid("show_id: required to resolve with \(resolution.rawValue)")
        }
        return try await write { db in
            guard let row = try Row.fetchOne(
                db, sql: "SELECT * FROM plex_conflicts WHERE id = ? AND status = 'open'", arguments: [id])
            else { return nil }
            let conflict = PlexConflict(row: row)
            if let showID, try Self.fetchShow(db, id: showID) == nil {
                throw StoreError.invalid("show_id: no show \(showID)")
            }
            let ignored = resolution == .ignore
            try db.execute(
                sql: """
                    UPDATE plex_conflicts SET status = ?, resolution = ?, resolved_show_id = ?, resolved_at = ?
                    WHERE id = ?
                    """, arguments: [ignored ? "ignored" : "resolved", resolution.rawValue, showID, now, id])
            guard var mapping = try Self.fetchMapping(db, id: conflict.mappingID) else { return nil }
            mapping.apply(MappingUpdate(
                showID: .some(showID), confidence: ignored ? 0 : 1, method: "manual",
                status: ignored ? .ignored : .mapped, confirmedByUser: true))
            try Self.saveMapping(db, mapping)
            // Held watches go back to the inbox; the workers apply (or ignore) them with the new mapping.
            try db.execute(
                sql: """
                    UPDATE plex_webhook_logs SET status = 'received', next_attempt_at = NULL, completed_at = NULL
                    WHERE conflict_id = ? AND status = 'conflict'
                    """, arguments: [id])
            return try Row.fetchOne(db, sql: "SELECT * FROM plex_conflicts WHERE id = ?", arguments: [id])
                .map(PlexConflict.init(row:))
        }
    }
}

extension SQLiteStore {
    static func fetchMapping(_ db: Database, id: Int64) throws -> PlexShowMapping? {
        try Row.fetchOne(db, sql: "SELECT * FROM plex_show_mappings WHERE id = ?", arguments: [id])
            .map(PlexShowMapping.init(row:))
    }

    static func saveMapping(_ db: Database, _ mapping: PlexShowMapping) throws {
        try db.execute(
            sql: """
                UPDATE plex_show_mappings SET show_id = ?, confidence = ?, method = ?, status = ?,
                    confirmed_by_user = ?, sync_enabled = ?, updated_at = ? WHERE id = ?
                """,
            arguments: [
                mapping.showID, mapping.confidence, mapping.method, mapping.status.rawValue,
                mapping.confirmedByUser, mapping.syncEnabled, Date(), mapping.id,
            ])
    }
}
