import Foundation
import PostgresNIO

extension PostgresStore {
    // MARK: - Settings

    public func plexConfig() async throws -> PlexConfig? {
        try await read { db in try await db.row("SELECT * FROM plex_config WHERE id = 1").map(PlexConfig.init(record:)) }
    }

    public func savePlexConfig(_ config: PlexConfig) async throws {
        try await write { db in
            try await db.execute("""
                INSERT INTO plex_config (id, plex_token_encrypted, plex_account_name, server_url, webhook_secret,
                    previous_webhook_secret, previous_secret_expires_at, auto_add_shows, auto_mark_watched,
                    sync_accounts, enabled, created_at, updated_at, server_uuid)
                VALUES (1, \(config.plexTokenEncrypted), \(config.plexAccountName), \(config.serverURL),
                    \(config.webhookSecret), \(config.previousWebhookSecret), \(config.previousSecretExpiresAt),
                    \(config.autoAddShows), \(config.autoMarkWatched), \(JSONColumn.encode(config.syncAccounts)),
                    \(config.enabled), \(config.createdAt), \(config.updatedAt), \(config.serverUUID))
                ON CONFLICT (id) DO UPDATE SET
                    plex_token_encrypted = excluded.plex_token_encrypted,
                    plex_account_name = excluded.plex_account_name, server_url = excluded.server_url,
                    webhook_secret = excluded.webhook_secret,
                    previous_webhook_secret = excluded.previous_webhook_secret,
                    previous_secret_expires_at = excluded.previous_secret_expires_at,
                    auto_add_shows = excluded.auto_add_shows, auto_mark_watched = excluded.auto_mark_watched,
                    sync_accounts = excluded.sync_accounts, enabled = excluded.enabled,
                    updated_at = excluded.updated_at, server_uuid = excluded.server_uuid
                """)
        }
    }

    public func deletePlexConfig() async throws -> Bool {
        try await write { db in try await db.execute("DELETE FROM plex_config WHERE id = 1 RETURNING 1") > 0 }
    }

    // MARK: - Mappings

    public func createMappingIfAbsent(_ draft: MappingDraft) async throws -> (mapping: PlexShowMapping, created: Bool) {
        try MappingRules.validate(draft)
        return try await write { db in
            let now = Date()
            try await Self.requireShow(db, draft.showID)
            let state = MappingRules.initialState(of: draft)
            let created = try await db.execute("""
                INSERT INTO plex_show_mappings (server_uuid, plex_show_key, plex_rating_key, plex_title, plex_year,
                    show_id, confidence, method, status, confirmed_by_user, sync_enabled, created_at, updated_at,
                    original_method, original_show_id)
                VALUES (\(draft.serverUUID), \(draft.plexShowKey), \(draft.plexRatingKey), \(draft.plexTitle),
                    \(draft.plexYear), \(draft.showID), \(draft.confidence), \(draft.method.rawValue),
                    \(draft.status.rawValue), \(draft.confirmedByUser), TRUE, \(now), \(now),
                    \(state.originalMethod?.rawValue), \(state.originalShowID))
                ON CONFLICT (server_uuid, plex_show_key) DO NOTHING
                RETURNING 1
                """) > 0
            let mapping = try await Self.fetchMapping(db, serverUUID: draft.serverUUID, plexShowKey: draft.plexShowKey)!
            return (mapping, created)
        }
    }

    public func mapping(id: Int64) async throws -> PlexShowMapping? {
        try await read { db in try await Self.fetchMapping(db, id: id) }
    }

    public func mapping(serverUUID: String, plexShowKey: String) async throws -> PlexShowMapping? {
        try await read { db in try await Self.fetchMapping(db, serverUUID: serverUUID, plexShowKey: plexShowKey) }
    }

    public func updateMapping(id: Int64, _ update: MappingUpdate) async throws -> PlexShowMapping? {
        if let confidence = update.confidence { try MappingRules.validate(confidence: confidence) }
        return try await write { db in
            if case .some(.some(let showID)) = update.showID { try await Self.requireShow(db, showID) }
            guard var mapping = try await Self.fetchMapping(db, id: id) else { return nil }
            mapping.apply(update)
            try await Self.saveMapping(db, mapping)
            return try await Self.fetchMapping(db, id: id)
        }
    }

    public func mappings(_ filter: MappingFilter) async throws -> Page<PlexShowMapping> {
        try await read { db in
            let statuses = filter.statuses.map { Array($0).map(\.rawValue).sorted() } ?? []
            let all = statuses.isEmpty
            let total = try await db.value(
                "SELECT COUNT(*) FROM plex_show_mappings WHERE \(all) OR status = ANY(\(statuses))", as: Int.self) ?? 0
            let rows = try await db.rows("""
                SELECT * FROM plex_show_mappings WHERE \(all) OR status = ANY(\(statuses))
                ORDER BY updated_at DESC, id DESC LIMIT \(max(0, filter.limit)) OFFSET \(max(0, filter.offset))
                """)
            return Page(items: try rows.map(PlexShowMapping.init(record:)), total: total)
        }
    }

    public func recordMatch(_ show: PlexShowIdentity, verdict: MatchVerdict, evidence: ConflictEvidence?, now: Date)
        async throws -> MatchRecord
    {
        guard !show.plexShowKey.isEmpty else { throw StoreError.invalid("plex_show_key: must not be empty") }
        if case .show(_, let confidence, _) = verdict { try MappingRules.validate(confidence: confidence) }
        return try await write { db in
            if case .show(let id, _, _) = verdict { try await Self.requireShow(db, id) }
            let current = try await Self.fetchMapping(db, serverUUID: show.serverUUID, plexShowKey: show.plexShowKey)
            let next = try MappingRules.transition(from: current?.state, on: .matched(verdict))
            var mapping: PlexShowMapping
            if var existing = current {
                if existing.state != next {
                    existing.state = next
                    try await Self.saveMapping(db, existing)
                }
                mapping = existing
            } else {
                mapping = try PlexShowMapping(record: try await db.row("""
                    INSERT INTO plex_show_mappings (server_uuid, plex_show_key, plex_rating_key, plex_title, plex_year,
                        show_id, confidence, method, status, confirmed_by_user, sync_enabled, created_at, updated_at,
                        original_method, original_show_id)
                    VALUES (\(show.serverUUID), \(show.plexShowKey), \(show.plexRatingKey), \(show.plexTitle),
                        \(show.plexYear), \(next.showID), \(next.confidence), \(next.method.rawValue),
                        \(next.status.rawValue), \(next.confirmedByUser), \(next.syncEnabled), \(now), \(now),
                        \(next.originalMethod?.rawValue), \(next.originalShowID))
                    RETURNING *
                    """)!)
            }
            let action = MappingRules.action(for: next)
            guard action == .hold else {
                return MatchRecord(mapping: mapping, action: action, conflict: nil, openedConflict: false)
            }
            let open = try await Self.fetchOpenConflict(db, mappingID: mapping.id)
            let conflict: PlexConflict
            if let open {
                conflict = open
            } else {
                conflict = try await Self.insertConflict(
                    db, mappingID: mapping.id, plexTitle: mapping.plexTitle, plexYear: show.plexYear ?? mapping.plexYear,
                    evidence: evidence ?? ConflictEvidence(candidates: [], reasons: []), now: now)
            }
            return MatchRecord(mapping: mapping, action: action, conflict: conflict, openedConflict: open == nil)
        }
    }

    public func decide(mappingID: Int64, _ decision: PersonDecision, now: Date) async throws -> DecisionRecord? {
        try await write { db in
            try await Self.applyDecision(db, mappingID: mappingID, decision, resolution: nil, now: now)
        }
    }

    // MARK: - Conflicts

    public func openConflict(mappingID: Int64, plexTitle: String, plexYear: Int?, evidence: ConflictEvidence)
        async throws -> PlexConflict
    {
        try await write { db in
            if let open = try await Self.fetchOpenConflict(db, mappingID: mappingID) { return open }
            return try await Self.insertConflict(db, mappingID: mappingID, plexTitle: plexTitle, plexYear: plexYear,
                                                 evidence: evidence, now: Date())
        }
    }

    public func conflict(id: Int64) async throws -> PlexConflict? {
        try await read { db in try await Self.fetchConflict(db, id: id) }
    }

    public func openConflict(forMapping mappingID: Int64) async throws -> PlexConflict? {
        try await read { db in try await Self.fetchOpenConflict(db, mappingID: mappingID) }
    }

    public func conflicts(status: ConflictStatus?, limit: Int, offset: Int) async throws -> Page<PlexConflict> {
        try await read { db in
            let status = status?.rawValue
            let total = try await db.value(
                "SELECT COUNT(*) FROM plex_conflicts WHERE \(status)::text IS NULL OR status = \(status)", as: Int.self) ?? 0
            let rows = try await db.rows("""
                SELECT * FROM plex_conflicts WHERE \(status)::text IS NULL OR status = \(status)
                ORDER BY created_at, id LIMIT \(max(0, limit)) OFFSET \(max(0, offset))
                """)
            return Page(items: try rows.map(PlexConflict.init(record:)), total: total)
        }
    }

    public func resolveConflict(
        id: Int64, resolution: ConflictResolution, showID: Int64?, now: Date
    ) async throws -> PlexConflict? {
        let decision = try ConflictRules.decision(for: resolution, showID: showID)
        return try await write { db in
            guard let conflict = try await Self.fetchConflict(db, id: id), conflict.status == .open else { return nil }
            return try await Self.applyDecision(
                db, mappingID: conflict.mappingID, decision, resolution: resolution, now: now)?.settledConflict
        }
    }
}

// MARK: - Statements shared by the mapping and conflict writes

extension PostgresStore {
    static func fetchMapping(_ db: PostgresTransaction, id: Int64) async throws -> PlexShowMapping? {
        try await db.row("SELECT * FROM plex_show_mappings WHERE id = \(id)").map(PlexShowMapping.init(record:))
    }

    static func fetchMapping(_ db: PostgresTransaction, serverUUID: String, plexShowKey: String) async throws
        -> PlexShowMapping?
    {
        try await db.row(
            "SELECT * FROM plex_show_mappings WHERE server_uuid = \(serverUUID) AND plex_show_key = \(plexShowKey)"
        ).map(PlexShowMapping.init(record:))
    }

    static func saveMapping(_ db: PostgresTransaction, _ mapping: PlexShowMapping) async throws {
        try await db.execute("""
            UPDATE plex_show_mappings SET show_id = \(mapping.showID), confidence = \(mapping.confidence),
                method = \(mapping.method.rawValue), status = \(mapping.status.rawValue),
                confirmed_by_user = \(mapping.confirmedByUser), sync_enabled = \(mapping.syncEnabled),
                updated_at = \(Date()), original_method = \(mapping.originalMethod?.rawValue),
                original_show_id = \(mapping.originalShowID)
            WHERE id = \(mapping.id)
            """)
    }

    static func fetchConflict(_ db: PostgresTransaction, id: Int64) async throws -> PlexConflict? {
        try await db.row("SELECT * FROM plex_conflicts WHERE id = \(id)").map(PlexConflict.init(record:))
    }

    static func fetchOpenConflict(_ db: PostgresTransaction, mappingID: Int64) async throws -> PlexConflict? {
        try await db.row("SELECT * FROM plex_conflicts WHERE mapping_id = \(mappingID) AND status = 'open'")
            .map(PlexConflict.init(record:))
    }

    static func requireShow(_ db: PostgresTransaction, _ showID: Int64?) async throws {
        if let showID, try await fetchShow(db, id: showID) == nil {
            throw StoreError.invalid("show_id: no show \(showID)")
        }
    }

    static func insertConflict(
        _ db: PostgresTransaction, mappingID: Int64, plexTitle: String, plexYear: Int?, evidence: ConflictEvidence,
        now: Date
    ) async throws -> PlexConflict {
        let columns = StoredEvidence.encode(evidence)
        return try PlexConflict(record: try await db.row("""
            INSERT INTO plex_conflicts (mapping_id, plex_title, plex_year, candidates, explanation, status, created_at)
            VALUES (\(mappingID), \(plexTitle), \(plexYear), \(columns.candidates), \(columns.explanation), 'open', \(now))
            RETURNING *
            """)!)
    }

    /// A person's decision on a mapping, settling its open conflict and releasing what it held.
    static func applyDecision(
        _ db: PostgresTransaction, mappingID: Int64, _ decision: PersonDecision, resolution: ConflictResolution?,
        now: Date
    ) async throws -> DecisionRecord? {
        if case .choose(let showID) = decision { try await requireShow(db, showID) }
        guard var mapping = try await fetchMapping(db, id: mappingID) else { return nil }
        mapping.state = try MappingRules.transition(from: mapping.state, on: .person(decision))
        try await saveMapping(db, mapping)
        mapping = try await fetchMapping(db, id: mappingID)!
        guard let open = try await fetchOpenConflict(db, mappingID: mappingID) else {
            return DecisionRecord(mapping: mapping, settledConflict: nil, releasedWebhooks: 0)
        }
        let settled = ConflictRules.settle(open, by: decision, mappingShowID: mapping.showID, resolution: resolution,
                                           now: now)
        try await db.execute("""
            UPDATE plex_conflicts SET status = \(settled.status.rawValue), resolution = \(settled.resolution?.rawValue),
                resolved_show_id = \(settled.resolvedShowID), resolved_at = \(settled.resolvedAt)
            WHERE id = \(settled.id)
            """)
        // The held webhooks go back to the inbox (ConflictRules.released); the workers apply, or
        // ignore, them under the new mapping.
        let released = try await db.execute("""
            UPDATE plex_webhook_logs SET status = 'received', next_attempt_at = NULL, completed_at = NULL
            WHERE conflict_id = \(settled.id) AND status = 'conflict'
            RETURNING 1
            """)
        return DecisionRecord(mapping: mapping, settledConflict: settled, releasedWebhooks: released)
    }
}
