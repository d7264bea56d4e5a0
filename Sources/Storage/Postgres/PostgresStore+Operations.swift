import Foundation
import PostgresNIO

extension PostgresStore: OperationsStore {
    // MARK: - Reports

    public func periodFigures(from start: Date, to end: Date) async throws -> PeriodFigures {
        try await read { db in
            var figures = PeriodFigures()
            for row in try await db.rows("""
                SELECT status, COUNT(*) AS count FROM plex_webhook_logs
                WHERE created_at >= \(start) AND created_at < \(end) GROUP BY status
                """)
            {
                if let status = WebhookStatus(rawValue: try row["status"]) { figures.webhooks[status] = try row["count"] }
            }
            figures.episodesMarked = try await db.value("""
                SELECT COUNT(*) FROM episode_watches
                WHERE NOT set_by_hand AND date_watched >= \(start) AND date_watched < \(end)
                """, as: Int.self) ?? 0
            figures.showsAdded = try await db.value(
                "SELECT COUNT(*) FROM shows WHERE created_at >= \(start) AND created_at < \(end)", as: Int.self) ?? 0
            figures.conflictsRaised = try await db.value(
                "SELECT COUNT(*) FROM plex_conflicts WHERE created_at >= \(start) AND created_at < \(end)",
                as: Int.self) ?? 0
            figures.resolutionSeconds = try await db.rows("""
                SELECT created_at, resolved_at FROM plex_conflicts
                WHERE resolved_at >= \(start) AND resolved_at < \(end) AND status != 'open'
                """
            ).map { row in
                let raised: Date = try row["created_at"]
                let settled: Date = try row["resolved_at"]
                return max(0, settled.timeIntervalSince(raised))
            }
            figures.failureMessages = try await db.rows("""
                SELECT error_message, COUNT(*) AS count FROM plex_webhook_logs
                WHERE status = 'failed' AND created_at >= \(start) AND created_at < \(end) GROUP BY error_message
                """
            ).map { MessageCount(message: try $0["error_message"] ?? "", count: try $0["count"]) }
            return figures
        }
    }

    public func conflictsRaised(from start: Date, to end: Date) async throws -> [ConflictSummary] {
        try await read { db in
            try await db.rows("""
                SELECT plex_title, plex_year, candidates, explanation, created_at FROM plex_conflicts
                WHERE created_at >= \(start) AND created_at < \(end) ORDER BY created_at, id
                """
            ).map { row in
                try ConflictSummary(
                    plexTitle: row["plex_title"], plexYear: row["plex_year"],
                    evidence: StoredEvidence.decode(candidatesJSON: row["candidates"], explanationJSON: row["explanation"]),
                    createdAt: row["created_at"])
            }
        }
    }

    public func autoMapTallies(createdBefore date: Date) async throws -> [AutoMapTally] {
        try await read { db in
            try await db.rows("""
                SELECT original_method, status, confirmed_by_user,
                    (show_id IS NOT DISTINCT FROM original_show_id) AS same_show, COUNT(*) AS count
                FROM plex_show_mappings WHERE original_method IS NOT NULL AND created_at < \(date)
                GROUP BY original_method, status, confirmed_by_user, same_show
                """
            ).compactMap { row in
                guard MappingMethod(rawValue: try row["original_method"]).isAutomatic,
                      let status = MappingStatus(rawValue: try row["status"])
                else { return nil }
                return try AutoMapTally(status: status, confirmedByUser: row["confirmed_by_user"],
                                        sameShow: row["same_show"], count: row["count"])
            }
        }
    }

    // MARK: - Alerts

    public func webhookWindow(since date: Date, slowest: Int) async throws -> WebhookWindow {
        try await read { db in
            var window = WebhookWindow()
            for row in try await db.rows("""
                SELECT status, COUNT(*) AS count, COUNT(processing_ms) AS timed FROM plex_webhook_logs
                WHERE created_at >= \(date) GROUP BY status
                """)
            {
                guard let status = WebhookStatus(rawValue: try row["status"]) else { continue }
                window.counts[status] = try row["count"]
                window.timedCount += try row["timed"] as Int
            }
            if slowest > 0 {
                window.slowestMs = try await db.values("""
                    SELECT processing_ms FROM plex_webhook_logs
                    WHERE created_at >= \(date) AND processing_ms IS NOT NULL ORDER BY processing_ms DESC LIMIT \(slowest)
                    """, as: Double.self)
            }
            return window
        }
    }

    public func openConflictCount() async throws -> Int {
        try await read { db in
            try await db.value("SELECT COUNT(*) FROM plex_conflicts WHERE status = 'open'", as: Int.self) ?? 0
        }
    }

    // MARK: - Retry by hand

    public func retryWebhook(id: Int64, now: Date) async throws -> WebhookLog? {
        try await write { db in
            guard let log = try await db.row("SELECT * FROM plex_webhook_logs WHERE id = \(id)").map(WebhookLog.init(record:))
            else { return nil }
            guard RetryRules.canRetry(log) else { return log }
            try await Self.saveRetried(db, RetryRules.retried(log))
            return try await db.row("SELECT * FROM plex_webhook_logs WHERE id = \(id)").map(WebhookLog.init(record:))
        }
    }

    public func retryFailedWebhooks(now: Date) async throws -> Int {
        try await write { db in
            let retryable = try await db.rows("SELECT * FROM plex_webhook_logs WHERE status = 'failed'")
                .map(WebhookLog.init(record:)).filter(RetryRules.canRetry)
            for log in retryable { try await Self.saveRetried(db, RetryRules.retried(log)) }
            return retryable.count
        }
    }

    private static func saveRetried(_ db: PostgresTransaction, _ log: WebhookLog) async throws {
        try await db.execute("""
            UPDATE plex_webhook_logs SET status = \(log.status.rawValue), next_attempt_at = \(log.nextAttemptAt),
                completed_at = \(log.completedAt)
            WHERE id = \(log.id)
            """)
    }
}
