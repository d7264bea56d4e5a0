import Foundation
import Storage

/// The weekly sync report of an ISO week.
struct WeeklyReport: Codable, Sendable, Equatable {
    struct Quantiles: Codable, Sendable, Equatable {
        var median: Double?
        var p90: Double?

        /// Both keys always, null when there was nothing to measure.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(median, forKey: .median)
            try container.encode(p90, forKey: .p90)
        }
    }

    struct Failure: Codable, Sendable, Equatable {
        var reason: String
        var count: Int
    }

    /// `YYYY-Www`.
    var week: String
    /// The week's first moment (Monday 00:00 local time) and the next week's.
    var start: Date
    var end: Date
    /// Webhooks received in the week, by their status now (every status, 0 included).
    var webhooks: [String: Int]
    var episodesMarked: Int
    var showsAdded: Int
    var conflictsRaised: Int
    var conflictsResolved: Int
    /// Minutes from a conflict raised to settled, over the conflicts settled in the week.
    var resolutionMinutes: Quantiles
    var failures: [Failure]
    /// The share of the machine's mappings (made before the week ended) that no person changed
    /// to another show; null when the machine mapped none.
    var autoMapAccuracy: Double?

    /// Success ÷ (success + failed) of the week's webhooks; null when none synced.
    var syncSuccessRate: Double?

    /// Two sentences for a notification.
    var summary: String {
        let received = webhooks.values.reduce(0, +)
        var text = "\(received) webhooks (\(webhooks["success"] ?? 0) synced, \(webhooks["failed"] ?? 0) failed), "
            + "\(episodesMarked) episodes marked, \(showsAdded) shows added. "
            + "Conflicts: \(conflictsRaised) raised, \(conflictsResolved) resolved"
        if let median = resolutionMinutes.median { text += " (median \(Self.minutes(median)))" }
        text += "."
        if let accuracy = autoMapAccuracy { text += " Auto-mapping accuracy \(Self.percent(accuracy))." }
        if let top = failures.first { text += " Most common failure: \(top.reason) (\(top.count))." }
        return text
    }

    /// The figures as a notification's `data`.
    var notificationData: [String: String] {
        var data: [String: String] = [
            "week": week, "episodes_marked": "\(episodesMarked)", "shows_added": "\(showsAdded)",
            "conflicts_raised": "\(conflictsRaised)", "conflicts_resolved": "\(conflictsResolved)",
        ]
        for (status, count) in webhooks { data["webhooks_\(status)"] = "\(count)" }
        if let accuracy = autoMapAccuracy { data["auto_map_accuracy"] = String(format: "%.4f", accuracy) }
        return data
    }

    /// Every field always: the ones without a value as null.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(week, forKey: .week)
        try container.encode(start, forKey: .start)
        try container.encode(end, forKey: .end)
        try container.encode(webhooks, forKey: .webhooks)
        try container.encode(episodesMarked, forKey: .episodesMarked)
        try container.encode(showsAdded, forKey: .showsAdded)
        try container.encode(conflictsRaised, forKey: .conflictsRaised)
        try container.encode(conflictsResolved, forKey: .conflictsResolved)
        try container.encode(resolutionMinutes, forKey: .resolutionMinutes)
        try container.encode(failures, forKey: .failures)
        try container.encode(autoMapAccuracy, forKey: .autoMapAccuracy)
        try container.encode(syncSuccessRate, forKey: .syncSuccessRate)
    }

    static func minutes(_ value: Double) -> String {
        value < 90 ? String(format: "%.0f min", value) : String(format: "%.1f h", value / 60)
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}

/// Which Plex titles conflicted in a month, and why.
struct ConflictReport: Codable, Sendable, Equatable {
    struct Reason: Codable, Sendable, Equatable {
        var reason: String
        var count: Int
    }

    struct Title: Codable, Sendable, Equatable {
        var plexTitle: String
        var plexYear: Int?
        var count: Int
        var reasons: [Reason]
    }

    /// `YYYY-MM`.
    var month: String
    var start: Date
    var end: Date
    var conflicts: Int
    /// Most first, at most 100.
    var titles: [Title]
    var reasons: [Reason]
}

/// Builds the reports from the store's counts with `ReportRules`, in local time.
struct ReportService: Sendable {
    let store: any Store
    var calendar = ReportRules.calendar()

    /// The week named `YYYY-Www`, or the one holding `now` when nil; nil when the name is not a week.
    func interval(ofWeek name: String?, now: Date = Date()) -> (name: String, interval: DateInterval)? {
        let name = name ?? ReportRules.weekName(containing: now, calendar: calendar)
        return ReportRules.week(name, calendar: calendar).map { (name.uppercased(), $0) }
    }

    /// The month named `YYYY-MM`, or the one holding `now` when nil.
    func interval(ofMonth name: String?, now: Date = Date()) -> (name: String, interval: DateInterval)? {
        let name = name ?? ReportRules.monthName(containing: now, calendar: calendar)
        return ReportRules.month(name, calendar: calendar).map { (name, $0) }
    }

    /// The report of a week. Throws `.invalid` for a name that is not `YYYY-Www`.
    func weekly(_ name: String?, now: Date = Date()) async throws -> WeeklyReport {
        guard let (week, interval) = interval(ofWeek: name, now: now) else {
            throw ServiceError.invalid("must be an ISO week like 2025-W07", field: "week")
        }
        let figures = try await store.periodFigures(from: interval.start, to: interval.end)
        let accuracy = ReportRules.autoMapAccuracy(try await store.autoMapTallies(createdBefore: interval.end))
        let minutes = figures.resolutionSeconds.map { $0 / 60 }
        var webhooks: [String: Int] = [:]
        for status in WebhookStatus.allCases { webhooks[status.rawValue] = figures.webhooks[status] ?? 0 }
        return WeeklyReport(
            week: week, start: interval.start, end: interval.end, webhooks: webhooks,
            episodesMarked: figures.episodesMarked, showsAdded: figures.showsAdded,
            conflictsRaised: figures.conflictsRaised, conflictsResolved: figures.resolutionSeconds.count,
            resolutionMinutes: .init(median: ReportRules.percentile(minutes, 0.5).map(Self.rounded),
                                     p90: ReportRules.percentile(minutes, 0.9).map(Self.rounded)),
            failures: ReportRules.failures(figures.failureMessages).map { .init(reason: $0.reason, count: $0.count) },
            autoMapAccuracy: accuracy.map(Self.share),
            syncSuccessRate: ReportRules.successRate(figures.webhooks).map(Self.share))
    }

    /// The conflict patterns of a month. Throws `.invalid` for a name that is not `YYYY-MM`.
    func conflicts(_ name: String?, now: Date = Date()) async throws -> ConflictReport {
        guard let (month, interval) = interval(ofMonth: name, now: now) else {
            throw ServiceError.invalid("must be a month like 2025-07", field: "month")
        }
        let raised = try await store.conflictsRaised(from: interval.start, to: interval.end)
        let patterns = ReportRules.conflictPatterns(raised)
        return ConflictReport(
            month: month, start: interval.start, end: interval.end, conflicts: raised.count,
            titles: patterns.titles.prefix(100).map {
                .init(plexTitle: $0.plexTitle, plexYear: $0.plexYear, count: $0.count,
                      reasons: $0.reasons.map { .init(reason: $0.reason.rawValue, count: $0.count) })
            },
            reasons: patterns.reasons.map { .init(reason: $0.reason.rawValue, count: $0.count) })
    }

    private static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }
    private static func share(_ value: Double) -> Double { (value * 10_000).rounded() / 10_000 }
}
