import Foundation

/// Notification channels and the outbox of their deliveries.
///
/// Every method is one atomic unit in every adapter; "not found" is `nil` or `false`.
public protocol NotificationStore: Sendable {
    func createChannel(_ draft: NotificationChannelDraft, now: Date) async throws -> NotificationChannel
    func channel(id: Int64) async throws -> NotificationChannel?
    /// Every channel, oldest first.
    func channels() async throws -> [NotificationChannel]
    /// Deletes a channel with its deliveries; false when there is none with that id.
    func deleteChannel(id: Int64) async throws -> Bool

    /// Puts `message` in the outbox once for every enabled channel that chose its event
    /// (`NotificationRules.subscribers`), unless a notification with the same `dedupeKey` was
    /// queued within `window` seconds before `now` (`NotificationRules.isRepeat`). Returns how
    /// many deliveries were queued.
    func enqueueNotification(_ message: NotificationMessage, dedupeKey: String?, window: TimeInterval, now: Date)
        async throws -> Int
    /// Takes up to `limit` pending deliveries that are due, oldest first, and marks them `sending`
    /// (attempts + 1). A delivery is claimed once.
    func claimDeliveries(limit: Int, now: Date) async throws -> [NotificationDelivery]
    /// Records how an attempt of a claimed delivery ended (`NotificationRules.next`), and the
    /// channel's last success or error (`NotificationRules.channel(_:after:now:)`), together.
    func completeDelivery(id: Int64, _ outcome: DeliveryOutcome, now: Date) async throws
    /// Records an attempt made outside the outbox (the test button) on the channel; false when
    /// there is no such channel.
    func recordChannelAttempt(id: Int64, _ attempt: DeliveryAttempt, now: Date) async throws -> Bool
    /// Puts deliveries left `sending` by a stopped process back to `pending`; returns how many.
    func releaseInterruptedDeliveries() async throws -> Int
    /// The newest deliveries (of one channel, or of all), newest first.
    func deliveries(channelID: Int64?, limit: Int) async throws -> [NotificationDelivery]
    /// Deliveries still waiting (pending or sending).
    func pendingDeliveries() async throws -> Int
    /// Deletes delivered and failed deliveries created before `date`; returns how many.
    func deleteFinishedDeliveries(before date: Date) async throws -> Int
}

/// The reads behind reports and alerts, and retrying failed webhooks by hand.
public protocol OperationsStore: Sendable {
    /// The counts of a report's period `[start, end)`.
    func periodFigures(from start: Date, to end: Date) async throws -> PeriodFigures
    /// Conflicts raised in `[start, end)`, oldest first.
    func conflictsRaised(from start: Date, to end: Date) async throws -> [ConflictSummary]
    /// Mappings the machine made (created before `date`), grouped by where they stand now.
    func autoMapTallies(createdBefore date: Date) async throws -> [AutoMapTally]
    /// Webhooks received since `date`: counts by status, and the `slowest` longest processing times.
    func webhookWindow(since date: Date, slowest: Int) async throws -> WebhookWindow
    /// Open conflicts.
    func openConflictCount() async throws -> Int

    /// Puts a failed webhook back in the inbox to be processed now (`RetryRules.retried`).
    /// Nil when there is no such webhook; the log unchanged when it cannot be retried
    /// (`RetryRules.canRetry`).
    func retryWebhook(id: Int64, now: Date) async throws -> WebhookLog?
    /// Puts every failed webhook that can be retried back in the inbox; returns how many.
    func retryFailedWebhooks(now: Date) async throws -> Int
}
