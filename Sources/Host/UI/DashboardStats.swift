import Foundation
import Storage

/// The dashboard's numbers, from the store's aggregates (webhooks per day and status, the
/// most-watched shows) and its mapping list (up to `maxMappings`).
struct DashboardStats: Sendable {
    /// Webhooks of one day, by status.
    struct Day: Sendable, Equatable {
        var date: String
        var counts: [WebhookStatus: Int]
    }

    var statusTotals: [WebhookStatus: Int] = [:]
    var days: [Day] = []
    var averageProcessingMs: Double?
    var autoMapped = 0
    var mappedByHand = 0
    var conflicts = 0
    var ignored = 0
    var unmapped = 0
    var openConflicts = 0
    var inboxDepth = 0
    /// The user's most-watched shows: title, show id, episodes watched.
    var mostWatched: [(title: String, showID: Int64, episodes: Int)] = []

    var totalWebhooks: Int { statusTotals.values.reduce(0, +) }

    static let maxMappings = 2_000

    static func load(store: any Store, userID: Int64?, days: Int = 14, now: Date = Date()) async throws
        -> DashboardStats
    {
        var stats = DashboardStats()
        for status in WebhookStatus.allCases {
            stats.statusTotals[status] = try await store.webhookLogs(WebhookLogFilter(status: status, limit: 1)).total
        }
        stats.openConflicts = try await store.conflicts(status: .open, limit: 1, offset: 0).total
        stats.inboxDepth = try await store.inboxDepth()
        try await stats.loadDays(store: store, days: days, now: now)
        try await stats.loadMappings(store: store, userID: userID)
        return stats
    }

    private mutating func loadDays(store: any Store, days: Int, now: Date) async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let today = calendar.startOfDay(for: now)
        let dates = (0..<days).reversed().compactMap { calendar.date(byAdding: .day, value: -$0, to: today) }
        guard let start = dates.first else { return }
        var buckets = Dictionary(uniqueKeysWithValues: dates.map { (DisplayFormat.day($0), [WebhookStatus: Int]()) })
        var timedCount = 0
        var timedSum = 0.0
        for group in try await store.webhookActivity(since: start) {
            buckets[group.day, default: [:]][group.status, default: 0] += group.count
            if let average = group.averageProcessingMs, average.isFinite {
                timedCount += group.count
                timedSum += average * Double(group.count)
            }
        }
        self.days = dates.map { Day(date: DisplayFormat.day($0), counts: buckets[DisplayFormat.day($0)] ?? [:]) }
        averageProcessingMs = timedCount == 0 ? nil : timedSum / Double(timedCount)
    }

    private mutating func loadMappings(store: any Store, userID: Int64?) async throws {
        var offset = 0
        while offset < Self.maxMappings {
            let page = try await store.mappings(MappingFilter(limit: 500, offset: offset))
            for mapping in page.items {
                switch mapping.status {
                case .mapped:
                    if mapping.confirmedByUser || mapping.method == .manual { mappedByHand += 1 } else { autoMapped += 1 }
                case .conflict: conflicts += 1
                case .ignored: ignored += 1
                case .unmapped: unmapped += 1
                }
            }
            if page.items.count < 500 { break }
            offset += 500
        }
        guard let userID else { return }
        mostWatched = try await store.mostWatchedShows(userID: userID, limit: 8).map {
            ($0.show.title, $0.show.id, $0.totals.watchedEpisodes)
        }
    }
}
