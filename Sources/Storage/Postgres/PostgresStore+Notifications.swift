import Foundation
import PostgresNIO

extension PostgresStore: NotificationStore {
    // MARK: - Channels

    public func createChannel(_ draft: NotificationChannelDraft, now: Date) async throws -> NotificationChannel {
        guard !draft.name.isEmpty else { throw StoreError.invalid("name: must not be empty") }
        return try await write { db in
            try NotificationChannel(record: try await db.row("""
                INSERT INTO notification_channels (name, type, target, settings_sealed, token_set, events, enabled,
                    created_at)
                VALUES (\(draft.name), \(draft.type.rawValue), \(draft.target), \(draft.settingsSealed),
                    \(draft.tokenSet), \(JSONColumn.encode(draft.events.map(\.rawValue))), \(draft.enabled), \(now))
                RETURNING *
                """)!)
        }
    }

    public func channel(id: Int64) async throws -> NotificationChannel? {
        try await read { db in try await Self.fetchChannel(db, id: id) }
    }

    public func channels() async throws -> [NotificationChannel] {
        try await read { db in
            try await db.rows("SELECT * FROM notification_channels ORDER BY id").map(NotificationChannel.init(record:))
        }
    }

    public func deleteChannel(id: Int64) async throws -> Bool {
        try await write { db in try await db.execute("DELETE FROM notification_channels WHERE id = \(id) RETURNING 1") > 0 }
    }

    // MARK: - Outbox

    public func enqueueNotification(_ message: NotificationMessage, dedupeKey: String?, window: TimeInterval, now: Date)
        async throws -> Int
    {
        try await write { db in
            if let dedupeKey {
                let last = try await db.value(
                    "SELECT MAX(created_at) FROM notification_deliveries WHERE dedupe_key = \(dedupeKey)", as: Date.self)
                if NotificationRules.isRepeat(lastQueuedAt: last, now: now, window: window) { return 0 }
            }
            let channels = try await db.rows("SELECT * FROM notification_channels ORDER BY id")
                .map(NotificationChannel.init(record:))
            let chosen = NotificationRules.subscribers(of: message.event, among: channels)
            for channel in chosen {
                try await db.execute("""
                    INSERT INTO notification_deliveries (channel_id, event, message, dedupe_key, status, created_at)
                    VALUES (\(channel.id), \(message.event.rawValue), \(message.json), \(dedupeKey), 'pending', \(now))
                    """)
            }
            return chosen.count
        }
    }

    public func claimDeliveries(limit: Int, now: Date) async throws -> [NotificationDelivery] {
        // SKIP LOCKED: several daemons send from one outbox, each delivery once.
        try await transaction(.readCommitted) { db in
            try await db.rows("""
                UPDATE notification_deliveries SET status = 'sending', attempts = attempts + 1
                WHERE id IN (
                    SELECT id FROM notification_deliveries
                    WHERE status = 'pending' AND (next_attempt_at IS NULL OR next_attempt_at <= \(now))
                    ORDER BY id LIMIT \(max(0, limit))
                    FOR UPDATE SKIP LOCKED)
                RETURNING *
                """
            ).map(NotificationDelivery.init(record:)).sorted { $0.id < $1.id }
        }
    }

    public func completeDelivery(id: Int64, _ outcome: DeliveryOutcome, now: Date) async throws {
        try await write { db in
            guard let row = try await db.row("SELECT * FROM notification_deliveries WHERE id = \(id)") else { return }
            let delivery = NotificationRules.delivery(try NotificationDelivery(record: row), after: outcome, now: now)
            try await db.execute("""
                UPDATE notification_deliveries SET status = \(delivery.status.rawValue),
                    next_attempt_at = \(delivery.nextAttemptAt), last_error = \(delivery.lastError),
                    delivered_at = \(delivery.deliveredAt)
                WHERE id = \(id)
                """)
            try await Self.recordAttempt(db, channelID: delivery.channelID, outcome.attempt, now: now)
        }
    }

    public func recordChannelAttempt(id: Int64, _ attempt: DeliveryAttempt, now: Date) async throws -> Bool {
        try await write { db in try await Self.recordAttempt(db, channelID: id, attempt, now: now) }
    }

    public func releaseInterruptedDeliveries() async throws -> Int {
        try await write { db in
            try await db.execute("UPDATE notification_deliveries SET status = 'pending' WHERE status = 'sending' RETURNING 1")
        }
    }

    public func deliveries(channelID: Int64?, limit: Int) async throws -> [NotificationDelivery] {
        try await read { db in
            try await db.rows("""
                SELECT * FROM notification_deliveries WHERE \(channelID)::bigint IS NULL OR channel_id = \(channelID)
                ORDER BY id DESC LIMIT \(max(0, limit))
                """
            ).map(NotificationDelivery.init(record:))
        }
    }

    public func pendingDeliveries() async throws -> Int {
        try await read { db in
            try await db.value(
                "SELECT COUNT(*) FROM notification_deliveries WHERE status IN ('pending', 'sending')", as: Int.self) ?? 0
        }
    }

    public func deleteFinishedDeliveries(before date: Date) async throws -> Int {
        try await write { db in
            try await db.execute("""
                DELETE FROM notification_deliveries WHERE created_at < \(date) AND status IN ('delivered', 'failed')
                RETURNING 1
                """)
        }
    }
}

extension PostgresStore {
    static func fetchChannel(_ db: PostgresTransaction, id: Int64) async throws -> NotificationChannel? {
        try await db.row("SELECT * FROM notification_channels WHERE id = \(id)").map(NotificationChannel.init(record:))
    }

    /// The channel's last attempt, success or error (`NotificationRules.channel(_:after:now:)`).
    @discardableResult
    static func recordAttempt(_ db: PostgresTransaction, channelID: Int64, _ attempt: DeliveryAttempt, now: Date)
        async throws -> Bool
    {
        guard let channel = try await fetchChannel(db, id: channelID) else { return false }
        let next = NotificationRules.channel(channel, after: attempt, now: now)
        try await db.execute("""
            UPDATE notification_channels SET last_attempt_at = \(next.lastAttemptAt),
                last_success_at = \(next.lastSuccessAt), last_error = \(next.lastError),
                last_error_at = \(next.lastErrorAt)
            WHERE id = \(channelID)
            """)
        return true
    }
}
