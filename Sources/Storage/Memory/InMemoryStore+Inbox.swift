import Foundation

extension InMemoryStore {
    public func receiveWebhook(_ entry: InboxEntry, dedupeWindow: TimeInterval, now: Date) async throws -> ReceiveOutcome {
        var originalID: Int64?
        if let key = entry.idempotencyKey {
            let since = now.addingTimeInterval(-dedupeWindow)
            originalID = logs.values
                .filter { $0.idempotencyKey == key && $0.createdAt >= since && $0.status != .duplicate }
                .map(\.id).max()
        }
        var stored = entry
        // A duplicate is never processed: its first bytes say enough.
        if originalID != nil { stored.rawPayload = PayloadTrim.prefix(entry.rawPayload) }
        let id = insertLog(stored, status: originalID == nil ? .received : .duplicate, error: nil, now: now)
        if let originalID { return .duplicate(id: id, originalID: originalID) }
        return .accepted(id: id)
    }

    public func recordFinishedWebhook(_ entry: InboxEntry, status: WebhookStatus, message: String, now: Date)
        async throws -> Int64
    {
        guard status.isFinal else { throw StoreError.invalid("status: \(status.rawValue) is not a final status") }
        return insertLog(entry, status: status, error: message, now: now)
    }

    public func claimWebhooks(limit: Int, now: Date) async throws -> [WebhookLog] {
        let due = logs.values
            .filter { $0.status == .received || ($0.status == .failed && ($0.nextAttemptAt.map { $0 <= now } ?? false)) }
            .sorted { $0.id < $1.id }
            .prefix(max(0, limit))
        return due.map { log in
            var claimed = log
            claimed.status = .processing
            claimed.attempts += 1
            claimed.nextAttemptAt = nil
            logs[log.id] = claimed
            return claimed
        }
    }

    public func completeWebhooks(_ completions: [(id: Int64, completion: WebhookCompletion)], now: Date) async throws {
        for (id, completion) in completions { try await completeWebhook(id: id, completion, now: now) }
    }

    public func completeWebhook(id: Int64, _ completion: WebhookCompletion, now: Date) async throws {
        guard var log = logs[id] else { return }
        log.status = completion.status
        log.errorMessage = completion.errorMessage
        log.processingMs = completion.processingMs
        log.nextAttemptAt = completion.nextAttemptAt
        log.completedAt = completion.status.isFinal ? now : nil
        log.mappingID = completion.mappingID ?? log.mappingID
        log.conflictID = completion.conflictID ?? log.conflictID
        log.episodeID = completion.episodeID ?? log.episodeID
        logs[id] = log
    }

    public func releaseInterruptedWebhooks() async throws -> Int {
        var released = 0
        for (id, var log) in logs where log.status == .processing {
            log.status = .received
            logs[id] = log
            released += 1
        }
        return released
    }

    public func webhookLog(id: Int64) async throws -> WebhookLog? { logs[id] }

    public func webhookLogs(_ filter: WebhookLogFilter) async throws -> Page<WebhookLog> {
        let matching = logs.values
            .filter { (filter.status == nil || $0.status == filter.status)
                && (filter.conflictID == nil || $0.conflictID == filter.conflictID) }
            .sorted { $0.id > $1.id }
        return Page(items: Array(matching.dropFirst(max(0, filter.offset)).prefix(max(0, filter.limit))),
                    total: matching.count)
    }

    public func webhookActivity(since date: Date) async throws -> [WebhookActivity] {
        var formatter = Date.ISO8601FormatStyle()
        formatter.timeZone = TimeZone(identifier: "UTC")!
        let groups = Dictionary(grouping: logs.values.filter { $0.createdAt >= date }) {
            "\(formatter.format($0.createdAt).prefix(10))|\($0.status.rawValue)"
        }
        return groups.map { key, logs in
            let times = logs.compactMap { $0.processingMs }
            let parts = key.split(separator: "|").map(String.init)
            return WebhookActivity(day: parts[0], status: WebhookStatus(rawValue: parts[1]) ?? .failed, count: logs.count,
                                   averageProcessingMs: times.isEmpty ? nil : times.reduce(0, +) / Double(times.count))
        }.sorted { ($0.day, $0.status.rawValue) < ($1.day, $1.status.rawValue) }
    }

    public func inboxDepth() async throws -> Int {
        logs.values.filter {
            $0.status == .received || $0.status == .processing || ($0.status == .failed && $0.nextAttemptAt != nil)
        }.count
    }

    public func deleteWebhookLogs(before date: Date) async throws -> Int {
        let doomed = logs.values.filter {
            $0.createdAt < date && [.success, .ignored, .duplicate, .failed].contains($0.status)
                && $0.nextAttemptAt == nil
        }
        for log in doomed { logs[log.id] = nil }
        return doomed.count
    }

    private func insertLog(_ entry: InboxEntry, status: WebhookStatus, error: String?, now: Date) -> Int64 {
        let id = makeID()
        logs[id] = WebhookLog(
            id: id, createdAt: now, event: entry.event, plexTitle: entry.plexTitle, serverUUID: entry.serverUUID,
            accountID: entry.accountID, ratingKey: entry.ratingKey, idempotencyKey: entry.idempotencyKey,
            client: entry.client, rawPayload: entry.rawPayload, status: status, errorMessage: error, attempts: 0,
            nextAttemptAt: nil, processingMs: nil, completedAt: status.isFinal ? now : nil, mappingID: nil,
            conflictID: nil, episodeID: nil)
        return id
    }
}
