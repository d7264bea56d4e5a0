import Foundation
import PostgresNIO

extension PostgresStore: ImportStore {
    // MARK: - Writes

    public func createImportJob(_ options: ImportOptions, owner: String, now: Date) async throws -> ImportJob {
        try await write { db in
            let job = try ImportJobRules.start(options, owner: owner, running: try await Self.fetchRunningJob(db), now: now)
            return try ImportJob(record: try await db.row("""
                INSERT INTO plex_import_jobs (import_library, import_history, since, status, phase, owner,
                    heartbeat_at, created_at, updated_at)
                VALUES (\(options.library), \(options.history), \(options.since), \(job.status.rawValue),
                    \(job.progress.phase.rawValue), \(owner), \(now), \(now), \(now))
                RETURNING *
                """)!)
        }
    }

    public func claimImportJob(id: Int64, owner: String, staleBefore: Date, now: Date) async throws -> ImportJob? {
        try await write { db in
            guard let job = try await Self.fetchJob(db, id: id),
                  let claimed = ImportJobRules.claim(job, owner: owner, staleBefore: staleBefore, now: now)
            else { return nil }
            try await Self.saveJob(db, claimed)
            return claimed
        }
    }

    public func saveImportProgress(id: Int64, owner: String, _ progress: ImportProgress, now: Date) async throws
        -> ImportJob?
    {
        try await write { db in
            guard let job = try await Self.fetchJob(db, id: id),
                  let next = ImportJobRules.checkpoint(job, owner: owner, progress: progress, now: now)
            else { return nil }
            try await Self.saveJob(db, next)
            return next
        }
    }

    public func finishImportJob(
        id: Int64, owner: String, status: ImportJobStatus, error: String?, progress: ImportProgress, now: Date
    ) async throws -> ImportJob? {
        try await write { db in
            guard let job = try await Self.fetchJob(db, id: id),
                  let next = ImportJobRules.finish(job, owner: owner, status: status, error: error, progress: progress,
                                                   now: now)
            else { return nil }
            try await Self.saveJob(db, next)
            return next
        }
    }

    public func releaseImportJob(id: Int64, owner: String, now: Date) async throws -> ImportJob? {
        try await write { db in
            guard let job = try await Self.fetchJob(db, id: id),
                  let next = ImportJobRules.release(job, owner: owner, now: now)
            else { return nil }
            try await Self.saveJob(db, next)
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
            if let stored = try await db.value(
                "SELECT id FROM plex_webhook_logs WHERE idempotency_key = \(key) LIMIT 1", as: Int64.self)
            {
                return .alreadyStored(id: stored)
            }
            guard let conflict = try await Self.fetchConflict(db, id: conflictID), conflict.status == .open,
                  conflict.mappingID == mappingID
            else { return .conflictNotOpen }
            let id = try await db.value("""
                INSERT INTO plex_webhook_logs (created_at, event, plex_title, server_uuid, account_id, rating_key,
                    idempotency_key, client, raw_payload, status, error_message, completed_at, mapping_id, conflict_id)
                VALUES (\(now), \(entry.event), \(entry.plexTitle), \(entry.serverUUID), \(entry.accountID),
                    \(entry.ratingKey), \(key), \(entry.client), \(entry.rawPayload), 'conflict', \(message), \(now),
                    \(mappingID), \(conflictID))
                RETURNING id
                """, as: Int64.self)!
            return .held(id: id)
        }
    }

    // MARK: - Reads

    public func importJob(id: Int64) async throws -> ImportJob? {
        try await read { db in try await Self.fetchJob(db, id: id) }
    }

    public func runningImportJob() async throws -> ImportJob? {
        try await read { db in try await Self.fetchRunningJob(db) }
    }

    public func importJobs(limit: Int, offset: Int) async throws -> Page<ImportJob> {
        try await read { db in
            let total = try await db.value("SELECT COUNT(*) FROM plex_import_jobs", as: Int.self) ?? 0
            let rows = try await db.rows(
                "SELECT * FROM plex_import_jobs ORDER BY id DESC LIMIT \(max(0, limit)) OFFSET \(max(0, offset))")
            return Page(items: try rows.map(ImportJob.init(record:)), total: total)
        }
    }
}

extension PostgresStore {
    static func fetchJob(_ db: PostgresTransaction, id: Int64) async throws -> ImportJob? {
        try await db.row("SELECT * FROM plex_import_jobs WHERE id = \(id)").map(ImportJob.init(record:))
    }

    static func fetchRunningJob(_ db: PostgresTransaction) async throws -> ImportJob? {
        try await db.row("SELECT * FROM plex_import_jobs WHERE status = 'running'").map(ImportJob.init(record:))
    }

    /// Writes everything of a job but its options and creation time.
    static func saveJob(_ db: PostgresTransaction, _ job: ImportJob) async throws {
        let counts = job.progress.counts
        let cursor = job.progress.cursor
        try await db.execute("""
            UPDATE plex_import_jobs SET status = \(job.status.rawValue), phase = \(job.progress.phase.rawValue),
                done = \(job.progress.done), total = \(job.progress.total), shows_added = \(counts.showsAdded),
                shows_mapped = \(counts.showsMapped), conflicts = \(counts.conflicts),
                shows_ignored = \(counts.showsIgnored), shows_unchanged = \(counts.showsUnchanged),
                watches_applied = \(counts.watchesApplied), watches_skipped = \(counts.watchesSkipped),
                watches_held = \(counts.watchesHeld), cursor_section = \(cursor.librarySection),
                cursor_library_offset = \(cursor.libraryOffset), cursor_history_offset = \(cursor.historyOffset),
                error = \(job.error), owner = \(job.owner), heartbeat_at = \(job.heartbeatAt),
                updated_at = \(job.updatedAt), finished_at = \(job.finishedAt)
            WHERE id = \(job.id)
            """)
    }
}
