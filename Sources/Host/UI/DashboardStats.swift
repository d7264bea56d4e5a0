import Foundation
import Storage

/// The dashboard's numbers, computed from the store's list calls (the SQL views are
/// SQLite-only, and the memory adapter must show the same page). Reads are bounded: the last
/// `days` days of webhooks up to `maxLogs`, and up to `maxMappings` mappings.
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
    /// Most-watched shows among those mapped from Plex: title, show id, episodes watched.
    var mostWatched: [(title: String, showID: Int64, episodes: Int)] = []

    var totalWebhooks: Int { statusTotals.values.reduce(0, +) }

    // Each log row carries its raw payload: keep the scan small until the store offers a
    // per-day aggregate (the `plex_webhook_activity` view is SQLite-only).
    static let maxLogs = 2_000
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
        var processing: [Double] = []
        var offset = 0
        scan: while offset < Self.maxLogs {
            let page = try await store.webhookLogs(WebhookLogFilter(limit: 500, offset: offset))
            for log in page.items {
                if log.createdAt < start { break scan }
                buckets[DisplayFormat.day(log.createdAt), default: [:]][log.status, default: 0] += 1
                if let ms = log.processingMs, ms.isFinite { processing.append(ms) }
            }
            if page.items.count < 500 { break }
            offset += 500
        }
        self.days = dates.map { Day(date: DisplayFormat.day($0), counts: buckets[DisplayFormat.day($0)] ?? [:]) }
        averageProcessingMs = processing.isEmpty ? nil : processing.reduce(0, +) / Double(processing.count)
    }

    private mutating func loadMappings(store: any Store, userID: Int64?) async throws {
        var shows = Set<Int64>()
        var offset = 0
        while offset < Self.maxMappings {
            let page = try await store.mappings(MappingFilter(limit: 500, offset: offset))
            for mapping in page.items {
                switch mapping.status {
                case .mapped:
                    if mapping.confirmedByUser || mapping.method == "manual" { mappedByHand += 1 } else { autoMapped += 1 }
                    if let id = mapping.showID { shows.insert(id) }
                case .conflict: conflicts += 1
                case .ignored: ignored += 1
                case .unmapped: unmapped += 1
                }
            }
            if page.items.count < 500 { break }
            offset += 500
        }
        guard let userID else { return }
        var watched: [(title: String, showID: Int64, episodes: Int)] = []
        for id in shows.sorted().prefix(500) {
            let totals = try await store.totals(userID: userID, showID: id)
            guard totals.watchedEpisodes > 0, let show = try await store.show(id: id) else { continue }
            watched.append((show.title, id, totals.watchedEpisodes))
        }
        mostWatched = Array(watched.sorted { ($0.episodes, $1.title) > ($1.episodes, $0.title) }.prefix(8))
    }
}
