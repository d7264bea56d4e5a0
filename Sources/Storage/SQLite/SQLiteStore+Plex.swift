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
                        sync_accounts, enabled, created_at, updated_at, server_uuid)
                    VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET
                        plex_token_encrypted = excluded.plex_token_encrypted,
                        plex_account_name = excluded.plex_account_name, server_url = excluded.server_url,
                        webhook_secret = excluded.webhook_secret,
                        previous_webhook_secret = excluded.previous_webhook_secret,
                        previous_secret_expires_at = excluded.previous_secret_expires_at,
                        auto_add_shows = excluded.auto_add_shows, auto_mark_watched = excluded.auto_mark_watched,
                        sync_accounts = excluded.sync_accounts, enabled = excluded.enabled,
                        updated_at = excluded.updated_at, server_uuid = excluded.server_uuid
                    """,
                arguments: [
                    config.plexTokenEncrypted, config.plexAccountName, config.serverURL, config.webhookSecret,
                    config.previousWebhookSecret, config.previousSecretExpiresAt, config.autoAddShows,
                    config.autoMarkWatched, JSONColumn.encode(config.syncAccounts), config.enabled,
                    config.createdAt, config.updatedAt, config.serverUUID,
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
        try MappingRules.validate(draft)
        return try await write { db in
            let now = Date()
            try Self.requireShow(db, draft.showID)
            try db.execute(
                sql: """
                    INSERT INTO plex_show_mappings (server_uuid, plex_show_key, plex_rating_key, plex_title, plex_year,
                        show_id, confidence, method, status, confirmed_by_user, sync_enabled, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)
                    ON CONFLICT (server_uuid, plex_show_key) DO NOTHING
                    """,
                arguments: [
                    draft.serverUUID, draft.plexShowKey, draft.plexRatingKey, draft.plexTitle, draft.plexYear,
                    draft.showID, draft.confidence, draft.method.rawValue, draft.status.rawValue, draft.confirmedByUser,
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
        if let confidence = update.confidence { try MappingRules.validate(confidence: confidence) }
        return try await write { db in
            if case .some(.some(let showID)) = update.showID { try Self.requireShow(db, showID) }
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

    public func recordMatch(_ show: PlexShowIdentity, verdict: MatchVerdict, evidence: ConflictEvidence?, now: Date)
        async throws -> MatchRecord
    {
        guard !show.plexShowKey.isEmpty else { throw StoreError.invalid("plex_show_key: must not be empty") }
        if case .show(_, let confidence, _) = verdict { try MappingRules.validate(confidence: confidence) }
        return try await write { db in
            if case .show(let id, _, _) = verdict { try Self.requireShow(db, id) }
            let current = try Self.fetchMapping(db, serverUUID: show.serverUUID, plexShowKey: show.plexShowKey)
            let next = try MappingRules.transition(from: current?.state, on: .matched(verdict))
            var mapping: PlexShowMapping
            if var existing = current {
                if existing.state != next {
                    existing.state = next
                    try Self.saveMapping(db, existing)
                }
                mapping = existing
            } else {
                try db.cachedStatement(sql: """
                    INSERT INTO plex_show_mappings (server_uuid, plex_show_key, plex_rating_key, plex_title, plex_year,
                        show_id, confidence, method, status, confirmed_by_user, sync_enabled, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
                ).execute(arguments: [
                    show.serverUUID, show.plexShowKey, show.plexRatingKey, show.plexTitle, show.plexYear, next.showID,
                    next.confidence, next.method.rawValue, next.status.rawValue, next.confirmedByUser, next.syncEnabled,
                    now, now,
                ])
                mapping = try Self.fetchMapping(db, id: db.lastInsertedRowID)!
            }
            let action = MappingRules.action(for: next)
            guard action == .hold else {
                return MatchRecord(mapping: mapping, action: action, conflict: nil, openedConflict: false)
            }
            let open = try Self.fetchOpenConflict(db, mappingID: mapping.id)
            let conflict = try open ?? Self.insertConflict(
                db, mappingID: mapping.id, plexTitle: mapping.plexTitle, plexYear: show.plexYear ?? mapping.plexYear,
                evidence: evidence ?? ConflictEvidence(candidates: [], reasons: []), now: now)
            return MatchRecord(mapping: mapping, action: action, conflict: conflict, openedConflict: open == nil)
        }
    }

    public func decide(mappingID: Int64, _ decision: PersonDecision, now: Date) async throws -> DecisionRecord? {
        try await write { db in try Self.applyDecision(db, mappingID: mappingID, decision, resolution: nil, now: now) }
    }

    // MARK: - Conflicts

    public func openConflict(mappingID: Int64, plexTitle: String, plexYear: Int?, evidence: ConflictEvidence)
        async throws -> PlexConflict
    {
        try await write { db in
            if let open = try Self.fetchOpenConflict(db, mappingID: mappingID) { return open }
            return try Self.insertConflict(db, mappingID: mappingID, plexTitle: plexTitle, plexYear: plexYear,
                                           evidence: evidence, now: Date())
        }
    }

    public func conflict(id: Int64) async throws -> PlexConflict? {
        try await read { db in try Self.fetchConflict(db, id: id) }
    }

    public func openConflict(forMapping mappingID: Int64) async throws -> PlexConflict? {
        try await read { db in try Self.fetchOpenConflict(db, mappingID: mappingID) }
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
        let decision = try ConflictRules.decision(for: resolution, showID: showID)
        return try await write { db in
            guard let conflict = try Self.fetchConflict(db, id: id), conflict.status == .open else { return nil }
            return try Self.applyDecision(db, mappingID: conflict.mappingID, decision, resolution: resolution, now: now)?
                .settledConflict
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
                mapping.showID, mapping.confidence, mapping.method.rawValue, mapping.status.rawValue,
                mapping.confirmedByUser, mapping.syncEnabled, Date(), mapping.id,
            ])
    }
}

// MARK: - Statements shared by the mapping and conflict writes

extension SQLiteStore {
    static func fetchMapping(_ db: Database, serverUUID: String, plexShowKey: String) throws -> PlexShowMapping? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM plex_show_mappings WHERE server_uuid = ? AND plex_show_key = ?"),
            arguments: [serverUUID, plexShowKey]
        ).map(PlexShowMapping.init(row:))
    }

    static func fetchConflict(_ db: Database, id: Int64) throws -> PlexConflict? {
        try Row.fetchOne(db, sql: "SELECT * FROM plex_conflicts WHERE id = ?", arguments: [id]).map(PlexConflict.init(row:))
    }

    static func fetchOpenConflict(_ db: Database, mappingID: Int64) throws -> PlexConflict? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT * FROM plex_conflicts WHERE mapping_id = ? AND status = 'open'"),
            arguments: [mappingID]
        ).map(PlexConflict.init(row:))
    }

    static func requireShow(_ db: Database, _ showID: Int64?) throws {
        if let showID, try fetchShow(db, id: showID) == nil { throw StoreError.invalid("show_id: no show \(showID)") }
    }

    static func insertConflict(
        _ db: Database, mappingID: Int64, plexTitle: String, plexYear: Int?, evidence: ConflictEvidence, now: Date
    ) throws -> PlexConflict {
        let columns = StoredEvidence.encode(evidence)
        try db.execute(
            sql: """
                INSERT INTO plex_conflicts (mapping_id, plex_title, plex_year, candidates, explanation, status,
                    created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)
                """, arguments: [mappingID, plexTitle, plexYear, columns.candidates, columns.explanation, now])
        return try fetchConflict(db, id: db.lastInsertedRowID)!
    }

    /// A person's decision on a mapping, settling its open conflict and releasing what it held.
    static func applyDecision(
        _ db: Database, mappingID: Int64, _ decision: PersonDecision, resolution: ConflictResolution?, now: Date
    ) throws -> DecisionRecord? {
        if case .choose(let showID) = decision { try requireShow(db, showID) }
        guard var mapping = try fetchMapping(db, id: mappingID) else { return nil }
        mapping.state = try MappingRules.transition(from: mapping.state, on: .person(decision))
        try saveMapping(db, mapping)
        mapping = try fetchMapping(db, id: mappingID)!
        guard let open = try fetchOpenConflict(db, mappingID: mappingID) else {
            return DecisionRecord(mapping: mapping, settledConflict: nil, releasedWebhooks: 0)
        }
        let settled = ConflictRules.settle(open, by: decision, mappingShowID: mapping.showID, resolution: resolution,
                                           now: now)
        try db.execute(
            sql: "UPDATE plex_conflicts SET status = ?, resolution = ?, resolved_show_id = ?, resolved_at = ? WHERE id = ?",
            arguments: [settled.status.rawValue, settled.resolution?.rawValue, settled.resolvedShowID, settled.resolvedAt,
                        settled.id])
        // The held webhooks go back to the inbox (ConflictRules.released); the workers apply, or
        // ignore, them under the new mapping.
        try db.execute(
            sql: """
                UPDATE plex_webhook_logs SET status = 'received', next_attempt_at = NULL, completed_at = NULL
                WHERE conflict_id = ? AND status = 'conflict'
                """, arguments: [settled.id])
        return DecisionRecord(mapping: mapping, settledConflict: settled, releasedWebhooks: db.changesCount)
    }
}
