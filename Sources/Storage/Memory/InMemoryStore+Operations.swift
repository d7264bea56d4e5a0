import Foundation

extension InMemoryStore: OperationsStore {
    // MARK: - Reports

    public func periodFigures(from start: Date, to end: Date) async throws -> PeriodFigures {
        func inPeriod(_ date: Date?) -> Bool { date.map { $0 >= start && $0 < end } ?? false }
        var figures = PeriodFigures()
        let received = logs.values.filter { inPeriod($0.createdAt) }
        for log in received { figures.webhooks[log.status, default: 0] += 1 }
        figures.episodesMarked = watches.values.filter { !$0.setByHand && inPeriod($0.date) }.count
        figures.showsAdded = shows.values.filter { inPeriod($0.createdAt) }.count
        figures.conflictsRaised = conflicts.values.filter { inPeriod($0.createdAt) }.count
        figures.resolutionSeconds = conflicts.values.filter { $0.status != .open && inPeriod($0.resolvedAt) }.map {
            max(0, $0.resolvedAt!.timeIntervalSince($0.createdAt))
        }
        let messages = Dictionary(grouping: received.filter { $0.status == .failed }) { $0.errorMessage ?? "" }
        figures.failureMessages = messages.map { MessageCount(message: $0.key, count: $0.value.count) }
        return figures
    }

    public func conflictsRaised(from start: Date, to end: Date) async throws -> [ConflictSummary] {
        conflicts.values.filter { $0.createdAt >= start && $0.createdAt < end }
            .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            .map { ConflictSummary(plexTitle: $0.plexTitle, plexYear: $0.plexYear, evidence: $0.evidence,
                                   createdAt: $0.createdAt) }
    }

    public func autoMapTallies(createdBefore date: Date) async throws -> [AutoMapTally] {
        struct Key: Hashable {
            var status: MappingStatus
            var confirmed: Bool
            var sameShow: Bool
        }
        var counts: [Key: Int] = [:]
        for mapping in mappings.values where mapping.createdAt < date && mapping.originalMethod?.isAutomatic == true {
            counts[Key(status: mapping.status, confirmed: mapping.confirmedByUser,
                       sameShow: mapping.showID == mapping.originalShowID), default: 0] += 1
        }
        return counts.map {
            AutoMapTally(status: $0.key.status, confirmedByUser: $0.key.confirmed, sameShow: $0.key.sameShow,
                         count: $0.value)
        }
    }

    // MARK: - Alerts

    public func webhookWindow(since date: Date, slowest: Int) async throws -> WebhookWindow {
        var window = WebhookWindow()
        let recent = logs.values.filter { $0.createdAt >= date }
        for log in recent { window.counts[log.status, default: 0] += 1 }
        let times = recent.compactMap(\.processingMs)
        window.timedCount = times.count
        window.slowestMs = Array(times.sorted(by: >).prefix(max(0, slowest)))
        return window
    }

    public func openConflictCount() async throws -> Int { conflicts.values.filter { $0.status == .open }.count }

    // MARK: - Retry by hand

    public func retryWebhook(id: Int64, now: Date) async throws -> WebhookLog? {
        guard let log = logs[id] else { return nil }
        guard RetryRules.canRetry(log) else { return log }
        logs[id] = RetryRules.retried(log)
        return logs[id]
    }

    public func retryFailedWebhooks(now: Date) async throws -> Int {
        let retryable = logs.values.filter(RetryRules.canRetry)
        for log in retryable { logs[log.id] = RetryRules.retried(log) }
        return retryable.count
    }
}
