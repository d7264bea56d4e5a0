import Foundation
import PostgresNIO

extension PostgresStore: PlexStore {
    public func receiveWebhook(_ entry: InboxEntry, dedupeWindow: TimeInterval, now: Date) async throws -> ReceiveOutcome {
        try await write { db in
            var originalID: Int64?
            if let key = entry.idempotencyKey {
                // Serializable: of two daemons receiving the same key at once, one commits first and
                // the other runs again and sees it, so dedupe holds across the whole database.
                originalID = try await db.value("""
                    SELECT id FROM plex_webhook_logs
                    WHERE idempotency_key = \(key) AND created_at >= \(now.addingTimeInterval(-dedupeWindow))
                        AND status != 'duplicate'
                    ORDER BY id DESC LIMIT 1
                    """, as: Int64.self)
            }
            let status: WebhookStatus = originalID == nil ? .received : .duplicate
            var stored = entry
            // A duplicate is never processed: its first bytes say enough.
            if originalID != nil { stored.rawPayload = PayloadTrim.prefix(entry.rawPayload) }
            let id = try await Self.insertLog(db, stored, status: status, error: nil, now: now)
            if let originalID { return .duplicate(id: id, originalID: originalID) }
            return .accepted(id: id)
        }
    }

    public func recordFinishedWebhook(_ entry: InboxEntry, status: WebhookStatus, message: String, now: Date)
        async throws -> Int64
    {
        guard status.isFinal else { throw StoreError.invalid("status: \(status.rawValue) is not a final status") }
        return try await write { db in try await Self.insertLog(db, entry, status: status, error: message, now: now) }
    }

    /// Claims are leases: this process's id and an expiry on the database's clock, renewed while
    /// the process lives (`InboxLease`). A lease that ran out is a stopped daemon's: anyone takes it.
    public func claimWebhooks(limit: Int, now: Date) async throws -> [WebhookLog] {
        let owner = instanceID
        let lease = inboxLease.seconds
        return try await transaction(.readCommitted) { db in
            // SKIP LOCKED: several daemons claim at once, each taking rows no other is taking.
            try await db.rows("""
                UPDATE plex_webhook_logs SET status = 'processing', attempts = attempts + 1, next_attempt_at = NULL,
                    claimed_by = \(owner), lease_expires_at = clock_timestamp() + make_interval(secs => \(lease))
                WHERE id IN (
                    SELECT id FROM plex_webhook_logs
                    WHERE status = 'received'
                        OR (status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= \(now))
                        OR (status = 'processing' AND lease_expires_at < clock_timestamp())
                    ORDER BY id LIMIT \(max(0, limit))
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """
            ).map(WebhookLog.init(record:)).sorted { $0.id < $1.id }
        }
    }

    public func completeWebhook(id: Int64, _ completion: WebhookCompletion, now: Date) async throws {
        try await completeWebhooks([(id, completion)], now: now)
    }

    /// Only outcomes of webhooks this process still holds are written: one whose lease ran out and
    /// that another daemon took over (or put back in the inbox) is that daemon's now, and a late
    /// outcome for it is dropped (and logged) rather than overwriting the other's.
    public func completeWebhooks(_ completions: [(id: Int64, completion: WebhookCompletion)], now: Date) async throws {
        let completions = completions.map { (id: $0.id, completion: $0.completion) }
        let owner = instanceID
        let dropped = try await write { db in
            var dropped: [Int64] = []
            for (id, completion) in completions {
                if try await !Self.complete(db, id: id, completion, owner: owner, now: now) { dropped.append(id) }
            }
            return dropped
        }
        for id in dropped {
            logger.warning("webhook outcome dropped: its lease ran out and another daemon took it over",
                           metadata: ["id": "\(id)", "owner": "\(owner)"])
        }
    }

    /// Writes the outcome when `owner` holds the webhook; false when it no longer does.
    private static func complete(
        _ db: PostgresTransaction, id: Int64, _ completion: WebhookCompletion, owner: String, now: Date
    ) async throws -> Bool {
        let completedAt: Date? = completion.status.isFinal ? now : nil
        return try await db.execute("""
            UPDATE plex_webhook_logs SET status = \(completion.status.rawValue),
                error_message = \(completion.errorMessage), processing_ms = \(completion.processingMs),
                next_attempt_at = \(completion.nextAttemptAt), completed_at = \(completedAt),
                mapping_id = coalesce(\(completion.mappingID), mapping_id),
                conflict_id = coalesce(\(completion.conflictID), conflict_id),
                episode_id = coalesce(\(completion.episodeID), episode_id),
                claimed_by = NULL, lease_expires_at = NULL
            WHERE id = \(id) AND status = 'processing' AND claimed_by = \(owner)
            RETURNING 1
            """) == 1
    }

    /// Takes back this process's own claims and those whose lease ran out; another live daemon's
    /// work stays where it is.
    public func releaseInterruptedWebhooks() async throws -> Int {
        let owner = instanceID
        return try await write { db in
            try await db.execute("""
                UPDATE plex_webhook_logs SET status = 'received', claimed_by = NULL, lease_expires_at = NULL
                WHERE status = 'processing'
                    AND (claimed_by IS NULL OR claimed_by = \(owner) OR lease_expires_at < clock_timestamp())
                RETURNING 1
                """)
        }
    }

    public func webhookLog(id: Int64) async throws -> WebhookLog? {
        try await read { db in try await db.row("SELECT * FROM plex_webhook_logs WHERE id = \(id)").map(WebhookLog.init(record:)) }
    }

    public func webhookLogs(_ filter: WebhookLogFilter) async throws -> Page<WebhookLog> {
        try await read { db in
            let status = filter.status?.rawValue
            let conflictID = filter.conflictID
            let total = try await db.value("""
                SELECT COUNT(*) FROM plex_webhook_logs
                WHERE (\(status)::text IS NULL OR status = \(status))
                    AND (\(conflictID)::bigint IS NULL OR conflict_id = \(conflictID))
                """, as: Int.self) ?? 0
            let rows = try await db.rows("""
                SELECT * FROM plex_webhook_logs
                WHERE (\(status)::text IS NULL OR status = \(status))
                    AND (\(conflictID)::bigint IS NULL OR conflict_id = \(conflictID))
                ORDER BY id DESC LIMIT \(max(0, filter.limit)) OFFSET \(max(0, filter.offset))
                """)
            return Page(items: try rows.map(WebhookLog.init(record:)), total: total)
        }
    }

    public func webhookActivity(since date: Date) async throws -> [WebhookActivity] {
        try await read { db in
            try await db.rows("""
                SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, status, COUNT(*) AS count,
                    AVG(processing_ms) AS average
                FROM plex_webhook_logs WHERE created_at >= \(date) GROUP BY 1, status ORDER BY 1, status
                """
            ).compactMap { row in
                guard let status = WebhookStatus(rawValue: try row["status"]) else { return nil }
                return try WebhookActivity(day: row["day"], status: status, count: row["count"],
                                           averageProcessingMs: row["average"])
            }
        }
    }

    public func inboxDepth() async throws -> Int {
        try await read { db in
            try await db.value("""
                SELECT COUNT(*) FROM plex_webhook_logs WHERE status IN ('received', 'processing')
                    OR (status = 'failed' AND next_attempt_at IS NOT NULL)
                """, as: Int.self) ?? 0
        }
    }

    public func deleteWebhookLogs(before date: Date) async throws -> Int {
        try await write { db in
            try await db.execute("""
                DELETE FROM plex_webhook_logs WHERE created_at < \(date)
                AND status IN ('success', 'ignored', 'duplicate', 'failed') AND next_attempt_at IS NULL
                RETURNING 1
                """)
        }
    }

    private static func insertLog(
        _ db: PostgresTransaction, _ entry: InboxEntry, status: WebhookStatus, error: String?, now: Date
    ) async throws -> Int64 {
        let completedAt: Date? = status.isFinal ? now : nil
        return try await db.value("""
            INSERT INTO plex_webhook_logs (created_at, event, plex_title, server_uuid, account_id, rating_key,
                idempotency_key, client, raw_payload, status, error_message, completed_at)
            VALUES (\(now), \(entry.event), \(entry.plexTitle), \(entry.serverUUID), \(entry.accountID),
                \(entry.ratingKey), \(entry.idempotencyKey), \(entry.client), \(entry.rawPayload), \(status.rawValue),
                \(error), \(completedAt))
            RETURNING id
            """, as: Int64.self)!
    }
}
