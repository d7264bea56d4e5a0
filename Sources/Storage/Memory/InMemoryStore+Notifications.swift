import Foundation

extension InMemoryStore: NotificationStore {
    // MARK: - Channels

    public func createChannel(_ draft: NotificationChannelDraft, now: Date) async throws -> NotificationChannel {
        guard !draft.name.isEmpty else { throw StoreError.invalid("name: must not be empty") }
        let channel = NotificationChannel(
            id: makeID(), name: draft.name, type: draft.type, target: draft.target, settingsSealed: draft.settingsSealed,
            tokenSet: draft.tokenSet, events: draft.events, enabled: draft.enabled, createdAt: now)
        channels[channel.id] = channel
        return channel
    }

    public func channel(id: Int64) async throws -> NotificationChannel? { channels[id] }

    public func channels() async throws -> [NotificationChannel] { channels.values.sorted { $0.id < $1.id } }

    public func deleteChannel(id: Int64) async throws -> Bool {
        guard channels.removeValue(forKey: id) != nil else { return false }
        deliveries = deliveries.filter { $0.value.channelID != id }
        return true
    }

    // MARK: - Outbox

    public func enqueueNotification(_ message: NotificationMessage, dedupeKey: String?, window: TimeInterval, now: Date)
        async throws -> Int
    {
        if let dedupeKey {
            let last = deliveries.values.filter { $0.dedupeKey == dedupeKey }.map(\.createdAt).max()
            if NotificationRules.isRepeat(lastQueuedAt: last, now: now, window: window) { return 0 }
        }
        let chosen = NotificationRules.subscribers(of: message.event, among: channels.values.sorted { $0.id < $1.id })
        for channel in chosen {
            let id = makeID()
            deliveries[id] = NotificationDelivery(
                id: id, channelID: channel.id, message: message, dedupeKey: dedupeKey, status: .pending, attempts: 0,
                nextAttemptAt: nil, lastError: nil, createdAt: now, deliveredAt: nil)
        }
        return chosen.count
    }

    public func claimDeliveries(limit: Int, now: Date) async throws -> [NotificationDelivery] {
        let due = deliveries.values
            .filter { $0.status == .pending && ($0.nextAttemptAt.map { $0 <= now } ?? true) }
            .sorted { $0.id < $1.id }
            .prefix(max(0, limit))
        return due.map { delivery in
            var claimed = delivery
            claimed.status = .sending
            claimed.attempts += 1
            deliveries[delivery.id] = claimed
            return claimed
        }
    }

    public func completeDelivery(id: Int64, _ outcome: DeliveryOutcome, now: Date) async throws {
        guard let delivery = deliveries[id] else { return }
        let next = NotificationRules.delivery(delivery, after: outcome, now: now)
        deliveries[id] = next
        recordAttempt(channelID: next.channelID, outcome.attempt, now: now)
    }

    public func recordChannelAttempt(id: Int64, _ attempt: DeliveryAttempt, now: Date) async throws -> Bool {
        recordAttempt(channelID: id, attempt, now: now)
    }

    public func releaseInterruptedDeliveries() async throws -> Int {
        var released = 0
        for (id, var delivery) in deliveries where delivery.status == .sending {
            delivery.status = .pending
            deliveries[id] = delivery
            released += 1
        }
        return released
    }

    public func deliveries(channelID: Int64?, limit: Int) async throws -> [NotificationDelivery] {
        Array(deliveries.values.filter { channelID == nil || $0.channelID == channelID }
            .sorted { $0.id > $1.id }.prefix(max(0, limit)))
    }

    public func pendingDeliveries() async throws -> Int {
        deliveries.values.filter { $0.status == .pending || $0.status == .sending }.count
    }

    public func deleteFinishedDeliveries(before date: Date) async throws -> Int {
        let doomed = deliveries.values.filter {
            $0.createdAt < date && ($0.status == .delivered || $0.status == .failed)
        }
        for delivery in doomed { deliveries[delivery.id] = nil }
        return doomed.count
    }

    @discardableResult
    private func recordAttempt(channelID: Int64, _ attempt: DeliveryAttempt, now: Date) -> Bool {
        guard let channel = channels[channelID] else { return false }
        channels[channelID] = NotificationRules.channel(channel, after: attempt, now: now)
        return true
    }
}
