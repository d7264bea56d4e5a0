import Foundation
import GRDB

extension SQLiteStore: NotificationStore {
    // MARK: - Channels

    public func createChannel(_ draft: NotificationChannelDraft, now: Date) async throws -> NotificationChannel {
        guard !draft.name.isEmpty else { throw StoreError.invalid("name: must not be empty") }
        return try await write { db in
            try db.execute(
                sql: """
                    INSERT INTO notification_channels (name, type, target, settings_sealed, token_set, events, enabled,
                        created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [draft.name, draft.type.rawValue, draft.target, draft.settingsSealed, draft.tokenSet,
                            JSONColumn.encode(draft.events.map(\.rawValue)), draft.enabled, now])
            return try Self.fetchChannel(db, id: db.lastInsertedRowID)!
        }
    }

    public func channel(id: Int64) async throws -> NotificationChannel? {
        try await read { db in try Self.fetchChannel(db, id: id) }
    }

    public func channels() async throws -> [NotificationChannel] {
        try await read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM notification_channels ORDER BY id").map(NotificationChannel.init(row:))
        }
    }

    public func deleteChannel(id: Int64) async throws -> Bool {
        try await write { db in
            try db.execute(sql: "DELETE FROM notification_channels WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    // MARK: - Outbox

    public func enqueueNotification(_ message: NotificationMessage, dedupeKey: String?, window: TimeInterval, now: Date)
        async throws -> Int
    {
        try await write { db in
            if let dedupeKey {
                let last = try Date.fetchOne(
                    db, sql: "SELECT MAX(created_at) FROM notification_deliveries WHERE dedupe_key = ?",
                    arguments: [dedupeKey])
                if NotificationRules.isRepeat(lastQueuedAt: last, now: now, window: window) { return 0 }
            }
            let channels = try Row.fetchAll(db, sql: "SELECT * FROM notification_channels ORDER BY id")
                .map(NotificationChannel.init(row:))
            let chosen = NotificationRules.subscribers(of: message.event, among: channels)
            for channel in chosen {
                try db.execute(
                    sql: """
                        INSERT INTO notification_deliveries (channel_id, event, message, dedupe_key, status, created_at)
                        VALUES (?, ?, ?, ?, 'pending', ?)
                        """,
                    arguments: [channel.id, message.event.rawValue, message.json, dedupeKey, now])
            }
            return chosen.count
        }
    }

    public func claimDeliveries(limit: Int, now: Date) async throws -> [NotificationDelivery] {
        // Polled while idle: a read first, so an empty outbox never takes the writer from webhooks.
        let due = try await read { db in
            try Bool.fetchOne(
                db, sql: """
                    SELECT EXISTS (SELECT 1 FROM notification_deliveries
                    WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?))
                    """, arguments: [now]) ?? false
        }
        guard due else { return [] }
        return try await write { db in
            let ids = try Int64.fetchAll(
                db, sql: """
                    SELECT id FROM notification_deliveries
                    WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= ?)
                    ORDER BY id LIMIT ?
                    """, arguments: [now, max(0, limit)])
            guard !ids.isEmpty else { return [] }
            let marks = databaseQuestionMarks(count: ids.count)
            try db.execute(
                sql: "UPDATE notification_deliveries SET status = 'sending', attempts = attempts + 1 WHERE id IN (\(marks))",
                arguments: StatementArguments(ids))
            return try Row.fetchAll(
                db, sql: "SELECT * FROM notification_deliveries WHERE id IN (\(marks)) ORDER BY id",
                arguments: StatementArguments(ids)
            ).map(NotificationDelivery.init(row:))
        }
    }

    public func completeDelivery(id: Int64, _ outcome: DeliveryOutcome, now: Date) async throws {
        try await write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM notification_deliveries WHERE id = ?",
                                             arguments: [id])
            else { return }
            let delivery = NotificationRules.delivery(NotificationDelivery(row: row), after: outcome, now: now)
            try db.execute(
                sql: """
                    UPDATE notification_deliveries SET status = ?, next_attempt_at = ?, last_error = ?, delivered_at = ?
                    WHERE id = ?
                    """,
                arguments: [delivery.status.rawValue, delivery.nextAttemptAt, delivery.lastError, delivery.deliveredAt, id])
            try Self.recordAttempt(db, channelID: delivery.channelID, outcome.attempt, now: now)
        }
    }

    public func recordChannelAttempt(id: Int64, _ attempt: DeliveryAttempt, now: Date) async throws -> Bool {
        try await write { db in try Self.recordAttempt(db, channelID: id, attempt, now: now) }
    }

    public func releaseInterruptedDeliveries() async throws -> Int {
        try await write { db in
            try db.execute(sql: "UPDATE notification_deliveries SET status = 'pending' WHERE status = 'sending'")
            return db.changesCount
        }
    }

    public func deliveries(channelID: Int64?, limit: Int) async throws -> [NotificationDelivery] {
        try await read { db in
            let whereClause = channelID == nil ? "" : "WHERE channel_id = ?"
            let args: StatementArguments = channelID.map { [$0] } ?? []
            return try Row.fetchAll(
                db, sql: "SELECT * FROM notification_deliveries \(whereClause) ORDER BY id DESC LIMIT ?",
                arguments: args + [max(0, limit)]
            ).map(NotificationDelivery.init(row:))
        }
    }

    public func pendingDeliveries() async throws -> Int {
        try await read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM notification_deliveries WHERE status IN ('pending', 'sending')")
                ?? 0
        }
    }

    public func deleteFinishedDeliveries(before date: Date) async throws -> Int {
        try await write { db in
            try db.execute(
                sql: "DELETE FROM notification_deliveries WHERE created_at < ? AND status IN ('delivered', 'failed')",
                arguments: [date])
            return db.changesCount
        }
    }
}

extension SQLiteStore {
    static func fetchChannel(_ db: Database, id: Int64) throws -> NotificationChannel? {
        try Row.fetchOne(db, sql: "SELECT * FROM notification_channels WHERE id = ?", arguments: [id])
            .map(NotificationChannel.init(row:))
    }

    /// The channel's last attempt, success or error (`NotificationRules.channel(_:after:now:)`).
    @discardableResult
    static func recordAttempt(_ db: Database, channelID: Int64, _ attempt: DeliveryAttempt, now: Date) throws -> Bool {
        guard let channel = try fetchChannel(db, id: channelID) else { return false }
        let next = NotificationRules.channel(channel, after: attempt, now: now)
        try db.execute(
            sql: """
                UPDATE notification_channels SET last_attempt_at = ?, last_success_at = ?, last_error = ?, last_error_at = ?
                WHERE id = ?
                """,
            arguments: [next.lastAttemptAt, next.lastSuccessAt, next.lastError, next.lastErrorAt, channelID])
        return true
    }
}

extension NotificationChannel {
    init(row: Row) {
        self.init(
            id: row["id"], name: row["name"], type: NotificationChannelType(rawValue: row["type"]) ?? .webhook,
            target: row["target"], settingsSealed: row["settings_sealed"], tokenSet: row["token_set"],
            events: JSONColumn.decode(row["events"]).compactMap(NotificationEvent.init(rawValue:)),
            enabled: row["enabled"], createdAt: row["created_at"], lastAttemptAt: row["last_attempt_at"],
            lastSuccessAt: row["last_success_at"], lastError: row["last_error"], lastErrorAt: row["last_error_at"])
    }
}

extension NotificationDelivery {
    init(row: Row) {
        let event = NotificationEvent(rawValue: row["event"]) ?? .test
        self.init(
            id: row["id"], channelID: row["channel_id"],
            message: NotificationMessage(json: row["message"])
                ?? NotificationMessage(event: event, title: "Showmatch", message: "(the stored message cannot be read)"),
            dedupeKey: row["dedupe_key"], status: DeliveryStatus(rawValue: row["status"]) ?? .failed,
            attempts: row["attempts"], nextAttemptAt: row["next_attempt_at"], lastError: row["last_error"],
            createdAt: row["created_at"], deliveredAt: row["delivered_at"])
    }
}
