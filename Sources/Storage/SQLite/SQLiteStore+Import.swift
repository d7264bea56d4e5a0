import Foundation
import GRDB

extension SQLiteStore: ImportStore {
    // MARK: - Writes

    public func createImportJob(_ options: ImportOptions, owner: String, now: Date) async throws -> ImportJob {
        try await write { db in
            let job = try ImportJobRules.start(options, owner: owner, running: try Self.fetchRunningJob(db), now: now)
            try db.execute(
                sql: """
                    INSERT INTO plex_import_jobs (import_library, import_history, since, status, phase, owner,
                        heartbeat_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [options.library, options.history, options.since, job.status.rawValue,
                            job.progress.phase.rawValue, owner, now, now, now])
            return try Self.fetchJob(db, id: db.lastInsertedRowID)!
        }
    }

    public func claimImportJob(id: Int64, owner: String, staleBefore: Date, now: Date) async throws -> ImportJob? {
        try await write { db in
            guard let job = try Self.fetchJob(db, id: id),
                  let claimed = ImportJobRules.claim(job, owner: owner, staleBefore: staleBefore, now: now)
            else { return nil }
            try Self.saveJob(db, claimed)
            return claimed
        }
    }

    public func saveImportProgress(id: Int64, owner: String, _ progress: ImportProgress, now: Date) async throws
        -> ImportJob?
    {
        try await write { db in
            guard let job = try Self.fetchJob(db, id: id),
                  let next = ImportJobRules.checkpoint(job, owner: owner, progress: progress, now: now)
            else { return nil }
            try Self.saveJob(db, next)
            return next
        }
    }

    public func finishImportJob(
        id: Int64, owner: String, status: ImportJobStatus, error: String?, progress: ImportProgress, now: Date
    ) async throws -> ImportJob? {
        try await write { db in
            guard let job = try Self.fetchJob(db, id: id),
                  let next = ImportJobRules.finish(job, owner: owner, status: status, error: error, progress: progress,
                                                   now: now)
            else { return nil }
            try Self.saveJob(db, next)
            return next
        }
    }

    public func releaseImportJob(id: Int64, owner: String, now: Date) async throws -> ImportJob? {
        try await write { db in
            guard let job = try Self.fetchJob(db, id: id),
                  let next = ImportJobRules.release(job, owner: owner, now: now)
            else { return nil }
            try Self.saveJob(db, next)
            return next
        }
    }

    public func holdWebhook(
        _ entry: InboxEntry, message: String, mappingID: Int64, conflictID: Int64, now: Date
    ) async throws -> HoldOutcome {
        guard let key = entry.idempotencyKey, !key.isEmpty else {
            throw StoreError.invalid("idempotency_key: a held webhook needs one")
        }
        return try await write { db in
            if let stored = try Int64.fetchOne(
                db.cachedStatement(sql: "SELECT id FROM plex_webhook_logs WHERE idempotency_key = ? LIMIT 1"),
                arguments: [key])
            {
                return .alreadyStored(id: stored)
            }
            guard let conflict = try Self.fetchConflict(db, id: conflictID), conflict.status == .open,
                  conflict.mappingID == mappingID
            else { return .conflictNotOpen }
            try db.cachedStatement(sql: """
                INSERT INTO plex_webhook_logs (created_at, event, plex_title, server_uuid, account_id, rating_key,
                    idempotency_key, client, raw_payload, status, error_message, completed_at, mapping_id, conflict_id)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'conflict', ?, ?, ?, ?)
                """
            ).execute(arguments: [
                now, entry.event, entry.plexTitle, entry.serverUUID, entry.accountID, entry.ratingKey, key,
                entry.client, entry.rawPayload, message, now, mappingID, conflictID,
            ])
            return .held(id: db.lastInsertedRowID)
        }
    }

    // MARK: - Reads

    public func importJob(id: Int64) async throws -> ImportJob? {
        try await read { db in try Self.fetchJob(db, id: id) }
    }

    public func runningImportJob() async throws -> ImportJob? {
        try await read { db in try Self.fetchRunningJob(db) }
    }

    public func importJobs(limit: Int, offset: Int) async throws -> Page<ImportJob> {
        try await read { db in
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plex_import_jobs") ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM plex_import_jobs ORDER BY id DESC LIMIT ? OFFSET ?",
                arguments: [max(0, limit), max(0, offset)])
            return Page(items: rows.map(ImportJob.init(row:)), total: total)
        }
    }
}

extension SQLiteStore {
    static func fetchJob(_ db: Database, id: Int64) throws -> ImportJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM plex_import_jobs WHERE id = ?", arguments: [id]).map(ImportJob.init(row:))
    }

    static func fetchRunningJob(_ db: Database) throws -> ImportJob? {
        try Row.fetchOne(db, sql: "SELECT * FROM plex_import_jobs WHERE status = 'running'").map(ImportJob.init(row:))
    }

    /// Writes everything of a job but its options and creation time.
    static func saveJob(_ db: Database, _ job: ImportJob) throws {
        let counts = job.progress.counts
        let cursor = job.progress.cursor
        try db.cachedStatement(sql: """
            UPDATE plex_import_jobs SET status = ?, phase = ?, done = ?, total = ?, shows_added = ?, shows_mapped = ?,
                conflicts = ?, shows_ignored = ?, shows_unchanged = ?, watches_applied = ?, watches_skipped = ?,
                watches_held = ?, cursor_section = ?, cursor_library_offset = ?, cursor_history_offset = ?,
                error = ?, owner = ?, heartbeat_at = ?, updated_at = ?, finished_at = ?
            WHERE id = ?
            """
        ).execute(arguments: [
            job.status.rawValue, job.progress.phase.rawValue, job.progress.done, job.progress.total,
            counts.showsAdded, counts.showsMapped, counts.conflicts, counts.showsIgnored, counts.showsUnchanged,
            counts.watchesApplied, counts.watchesSkipped, counts.watchesHeld, cursor.librarySection,
            cursor.libraryOffset, cursor.historyOffset, job.error, job.owner, job.heartbeatAt, job.updatedAt,
            job.finishedAt, job.id,
        ])
    }
}

extension ImportJob {
    init(row: Row) {
        var counts = ImportCounts()
        counts.showsAdded = row["shows_added"]
        counts.showsMapped = row["shows_mapped"]
        counts.conflicts = row["conflicts"]
        counts.showsIgnored = row["shows_ignored"]
        counts.showsUnchanged = row["shows_unchanged"]
        counts.watchesApplied = row["watches_applied"]
        counts.watchesSkipped = row["watches_skipped"]
        counts.watchesHeld = row["watches_held"]
        let status: String = row["status"]
        let phase: String = row["phase"]
        self.init(
            id: row["id"],
            options: ImportOptions(library: row["import_library"], history: row["import_history"], since: row["since"]),
            status: ImportJobStatus(rawValue: status) ?? .failed,
            progress: ImportProgress(
                phase: ImportPhase(rawValue: phase) ?? .finished, done: row["done"], total: row["total"],
                counts: counts,
                cursor: ImportCursor(librarySection: row["cursor_section"], libraryOffset: row["cursor_library_offset"],
                                     historyOffset: row["cursor_history_offset"])),
            error: row["error"], owner: row["owner"], heartbeatAt: row["heartbeat_at"], createdAt: row["created_at"],
            updatedAt: row["updated_at"], finishedAt: row["finished_at"])
    }
}
