import Foundation
import GRDB

extension SQLiteStore: PlexStore {
    public func receiveWebhook(_ entry: InboxEntry, dedupeWindow: TimeInterval, now: Date) async throws -> ReceiveOutcome {
        try await inbox.write(ReceivedWebhook(entry: entry, dedupeWindow: dedupeWindow, now: now))
    }

    /// Logs one webhook as `received`, or as a `duplicate` of the same one within the window.
    static func receive(_ db: Database, _ received: ReceivedWebhook) throws -> ReceiveOutcome {
        let entry = received.entry
        var originalID: Int64?
        if let key = entry.idempotencyKey {
            originalID = try Int64.fetchOne(
                db.cachedStatement(sql: """
                    SELECT id FROM plex_webhook_logs
                    WHERE idempotency_key = ? AND created_at >= ? AND status != 'duplicate'
                    ORDER BY id DESC LIMIT 1
                    """), arguments: [key, SQLiteDate.databaseValue(received.now.addingTimeInterval(-received.dedupeWindow))])
        }
        let status: WebhookStatus = originalID == nil ? .received : .duplicate
        var stored = entry
        // A duplicate is never processed: its first bytes say enough.
        if originalID != nil { stored.rawPayload = PayloadTrim.prefix(entry.rawPayload) }
        let id = try insertLog(db, stored, status: status, error: nil, now: received.now)
        if let originalID { return .duplicate(id: id, originalID: originalID) }
        return .accepted(id: id)
    }

    public func recordFinishedWebhook(_ entry: InboxEntry, status: WebhookStatus, message: String, now: Date)
        async throws -> Int64
    {
        guard status.isFinal else { throw StoreError.invalid("status: \(status.rawValue) is not a final status") }
        return try await durableWrite { db in try Self.insertLog(db, entry, status: status, error: message, now: now) }
    }

    public func claimWebhooks(limit: Int, now: Date) async throws -> [WebhookLog] {
        try await write { db in
            // Two ordered index ranges merged: a backlog of thousands is never sorted. A
            // `received` webhook has no next attempt (set so on every path into `received`).
            let ids = try Int64.fetchAll(
                db.cachedStatement(sql: """
                    SELECT id FROM (
                        SELECT id FROM plex_webhook_logs WHERE status = 'received' AND next_attempt_at IS NULL
                        ORDER BY id LIMIT :limit)
                    UNION ALL
                    SELECT id FROM (
                        SELECT id FROM plex_webhook_logs
                        WHERE status = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= :now
                        ORDER BY id LIMIT :limit)
                    ORDER BY id LIMIT :limit
                    """), arguments: ["now": now, "limit": max(0, limit)])
            guard !ids.isEmpty else { return [] }
            let marks = databaseQuestionMarks(count: ids.count)
            try db.execute(
                sql: """
                    UPDATE plex_webhook_logs SET status = 'processing', attempts = attempts + 1, next_attempt_at = NULL
                    WHERE id IN (\(marks))
                    """, arguments: StatementArguments(ids))
            return try Row.fetchAll(db, sql: "SELECT * FROM plex_webhook_logs WHERE id IN (\(marks)) ORDER BY id",
                                    arguments: StatementArguments(ids)).map(WebhookLog.init(row:))
        }
    }

    public func completeWebhook(id: Int64, _ completion: WebhookCompletion, now: Date) async throws {
        try await completeWebhooks([(id, completion)], now: now)
    }

    public func completeWebhooks(_ completions: [(id: Int64, completion: WebhookCompletion)], now: Date) async throws {
        try await write { db in
            for (id, completion) in completions { try Self.complete(db, id: id, completion, now: now) }
        }
    }

    private static func complete(_ db: Database, id: Int64, _ completion: WebhookCompletion, now: Date) throws {
            try db.cachedStatement(sql: """
                UPDATE plex_webhook_logs SET status = ?, error_message = ?, processing_ms = ?, next_attempt_at = ?,
                    completed_at = ?, mapping_id = coalesce(?, mapping_id), conflict_id = coalesce(?, conflict_id),
                    episode_id = coalesce(?, episode_id)
                WHERE id = ?
                """
            ).execute(arguments: [
                completion.status.rawValue, completion.errorMessage, completion.processingMs,
                completion.nextAttemptAt, completion.status.isFinal ? now : nil, completion.mappingID,
                completion.conflictID, completion.episodeID, id,
            ])
    }

    public func releaseInterruptedWebhooks() async throws -> Int {
        try await write { db in
            try db.execute(sql: "UPDATE plex_webhook_logs SET status = 'received' WHERE status = 'processing'")
            return db.changesCount
        }
    }

    public func webhookLog(id: Int64) async throws -> WebhookLog? {
        try await read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM plex_webhook_logs WHERE id = ?", arguments: [id])
                .map(WebhookLog.init(row:))
        }
    }

    public func webhookLogs(_ filter: WebhookLogFilter) async throws -> Page<WebhookLog> {
        try await read { db in
            var conditions: [String] = []
            var args: StatementArguments = []
            if let status = filter.status {
                conditions.append("status = ?")
                args += [status.rawValue]
            }
            if let conflictID = filter.conflictID {
                conditions.append("conflict_id = ?")
                args += [conflictID]
            }
            let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
            let total = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plex_webhook_logs \(whereClause)",
                                         arguments: args) ?? 0
            let rows = try Row.fetchAll(
                db, sql: "SELECT * FROM plex_webhook_logs \(whereClause) ORDER BY id DESC LIMIT ? OFFSET ?",
                arguments: args + [max(0, filter.limit), max(0, filter.offset)])
            return Page(items: rows.map(WebhookLog.init(row:)), total: total)
        }
    }

    public func webhookActivity(since date: Date) async throws -> [WebhookActivity] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT substr(created_at, 1, 10) AS day, status, COUNT(*) AS count,
                        AVG(processing_ms) AS average
                    FROM plex_webhook_logs WHERE created_at >= ? GROUP BY day, status ORDER BY day, status
                    """, arguments: [date]
            ).compactMap { row in
                guard let status = WebhookStatus(rawValue: row["status"]) else { return nil }
                return WebhookActivity(day: row["day"], status: status, count: row["count"],
                                       averageProcessingMs: row["average"])
            }
        }
    }

    public func inboxDepth() async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM plex_webhook_logs WHERE status IN ('received', 'processing')
                    OR (status = 'failed' AND next_attempt_at IS NOT NULL)
                """) ?? 0
        }
    }

    public func deleteWebhookLogs(before date: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: """
                    DELETE FROM plex_webhook_logs WHERE created_at < ?
                    AND status IN ('success', 'ignored', 'duplicate', 'failed') AND next_attempt_at IS NULL
                    """, arguments: [date])
            return db.changesCount
        }
    }

    private static func insertLog(
        _ db: Database, _ entry: InboxEntry, status: WebhookStatus, error: String?, now: Date
    ) throws -> Int64 {
        let created = SQLiteDate.databaseValue(now)
        try db.cachedStatement(sql: """
            INSERT INTO plex_webhook_logs (created_at, event, plex_title, server_uuid, account_id, rating_key,
                idempotency_key, client, raw_payload, status, error_message, completed_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """
        ).execute(arguments: [
            created, entry.event, entry.plexTitle, entry.serverUUID, entry.accountID, entry.ratingKey,
            entry.idempotencyKey, entry.client, entry.rawPayload, status.rawValue, error,
            status.isFinal ? created : nil,
        ])
        return db.lastInsertedRowID
    }
}

/// One webhook on its way into the inbox.
struct ReceivedWebhook: Sendable {
    var entry: InboxEntry
    var dedupeWindow: TimeInterval
    var now: Date
}
