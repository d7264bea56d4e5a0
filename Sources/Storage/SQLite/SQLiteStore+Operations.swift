import Foundation
import GRDB

extension SQLiteStore: OperationsStore {
    // MARK: - Reports

    public func periodFigures(from start: Date, to end: Date) async throws -> PeriodFigures {
        try await read { db in
            var figures = PeriodFigures()
            let range: StatementArguments = [start, end]
            for row in try Row.fetchAll(
                db, sql: """
                    SELECT status, COUNT(*) AS count FROM plex_webhook_logs
                    WHERE created_at >= ? AND created_at < ? GROUP BY status
                    """, arguments: range)
            {
                if let status = WebhookStatus(rawValue: row["status"]) { figures.webhooks[status] = row["count"] }
            }
            figures.episodesMarked = try Int.fetchOne(
                db, sql: """
                    SELECT COUNT(*) FROM episode_watches
                    WHERE set_by_hand = 0 AND date_watched >= ? AND date_watched < ?
                    """, arguments: range) ?? 0
            figures.showsAdded = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM shows WHERE created_at >= ? AND created_at < ?", arguments: range) ?? 0
            figures.conflictsRaised = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM plex_conflicts WHERE created_at >= ? AND created_at < ?",
                arguments: range) ?? 0
            figures.resolutionSeconds = try Row.fetchAll(
                db, sql: """
                    SELECT created_at, resolved_at FROM plex_conflicts
                    WHERE resolved_at >= ? AND resolved_at < ? AND status != 'open'
                    """, arguments: range
            ).map { row in
                let raised: Date = row["created_at"]
                let settled: Date = row["resolved_at"]
                return max(0, settled.timeIntervalSince(raised))
            }
            figures.failureMessages = try Row.fetchAll(
                db, sql: """
                    SELECT error_message, COUNT(*) AS count FROM plex_webhook_logs
                    WHERE status = 'failed' AND created_at >= ? AND created_at < ? GROUP BY error_message
                    """, arguments: range
            ).map { MessageCount(message: $0["error_message"] ?? "", count: $0["count"]) }
            return figures
        }
    }

    public func conflictsRaised(from start: Date, to end: Date) async throws -> [ConflictSummary] {
        try await read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT plex_title, plex_year, candidates, explanation, created_at FROM plex_conflicts
                    WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id
                    """, arguments: [start, end]
            ).map { row in
                ConflictSummary(
                    plexTitle: row["plex_title"], plexYear: row["plex_year"],
                    evidence: StoredEvidence.decode(candidatesJSON: row["candidates"], explanationJSON: row["explanation"]),
                    createdAt: row["created_at"])
            }
        }
    }

    public func autoMapTallies(createdBefore date: Date) async throws -> [AutoMapTally] {
        try await read { db in
            try Row.fetchAll(
                db, sql: """
                    SELECT original_method, status, confirmed_by_user, (show_id IS original_show_id) AS same_show,
                        COUNT(*) AS count
                    FROM plex_show_mappings WHERE original_method IS NOT NULL AND created_at < ?
                    GROUP BY original_method, status, confirmed_by_user, same_show
                    """, arguments: [date]
            ).compactMap { row in
                guard MappingMethod(rawValue: row["original_method"]).isAutomatic,
                      let status = MappingStatus(rawValue: row["status"])
                else { return nil }
                return AutoMapTally(status: status, confirmedByUser: row["confirmed_by_user"], sameShow: row["same_show"],
                                    count: row["count"])
            }
        }
    }

    // MARK: - Alerts

    public func webhookWindow(since date: Date, slowest: Int) async throws -> WebhookWindow {
        try await read { db in
            var window = WebhookWindow()
            for row in try Row.fetchAll(
                db, sql: """
                    SELECT status, COUNT(*) AS count, COUNT(processing_ms) AS timed FROM plex_webhook_logs
                    WHERE created_at >= ? GROUP BY status
                    """, arguments: [date])
            {
                guard let status = WebhookStatus(rawValue: row["status"]) else { continue }
                window.counts[status] = row["count"]
                window.timedCount += row["timed"] as Int
            }
            if slowest > 0 {
                window.slowestMs = try Double.fetchAll(
                    db, sql: """
                        SELECT processing_ms FROM plex_webhook_logs
                        WHERE created_at >= ? AND processing_ms IS NOT NULL ORDER BY processing_ms DESC LIMIT ?
                        """, arguments: [date, slowest])
            }
            return window
        }
    }

    public func openConflictCount() async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM plex_conflicts WHERE status = 'open'") ?? 0
        }
    }

    // MARK: - Retry by hand

    public func retryWebhook(id: Int64, now: Date) async throws -> WebhookLog? {
        try await write { db in
            guard let log = try Row.fetchOne(db, sql: "SELECT * FROM plex_webhook_logs WHERE id = ?", arguments: [id])
                .map(WebhookLog.init(row:))
            else { return nil }
            guard RetryRules.canRetry(log) else { return log }
            try Self.saveRetried(db, RetryRules.retried(log))
            return try Row.fetchOne(db, sql: "SELECT * FROM plex_webhook_logs WHERE id = ?", arguments: [id])
                .map(WebhookLog.init(row:))
        }
    }

    public func retryFailedWebhooks(now: Date) async throws -> Int {
        try await write { db in
            let retryable = try Row.fetchAll(db, sql: "SELECT * FROM plex_webhook_logs WHERE status = 'failed'")
                .map(WebhookLog.init(row:)).filter(RetryRules.canRetry)
            for log in retryable { try Self.saveRetried(db, RetryRules.retried(log)) }
            return retryable.count
        }
    }

    private static func saveRetried(_ db: Database, _ log: WebhookLog) throws {
        try db.execute(
            sql: "UPDATE plex_webhook_logs SET status = ?, next_attempt_at = ?, completed_at = ? WHERE id = ?",
            arguments: [log.status.rawValue, log.nextAttemptAt, log.completedAt, log.id])
    }
}
