import Foundation
import Hummingbird
import Storage

/// `/reports?week=YYYY-Www&month=YYYY-MM`: the weekly sync report and the month's conflict
/// patterns, the same numbers as `GET /api/reports/weekly` and `/api/reports/conflicts`.
struct ReportPages: Sendable {
    let pages: PageKit
    let reports: ReportService

    /// The page's model.
    struct ReportsPage: Sendable {
        var layout: PageLayout
        var week: String
        var rangeText: String
        var previousWeek: String
        var nextWeek: String
        var cards: [DashboardPages.StatCard]
        var statuses: [Count]
        var failures: [Count]
        var hasFailures: Bool
        var month: String
        var conflictCount: Int
        var titles: [TitleRow]
        var hasTitles: Bool
        var reasons: [Count]
    }

    /// A label and a number.
    struct Count: Sendable {
        var label: String
        var count: Int
    }

    /// A Plex title that conflicted.
    struct TitleRow: Sendable {
        var title: String
        var count: Int
        var reasonsText: String
    }

    static let reasonLabels: [String: String] = [
        "no_candidate": "no candidate", "ids_disagree": "ids disagree", "tie": "tie", "ambiguous_title": "title names two shows",
        "low_confidence": "low confidence", "close_runner_up": "runner-up too close", "unreadable": "unreadable evidence",
    ]

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("reports") { request, context -> Response in
            let query = QueryParameters(request: request)
            guard let (week, interval) = reports.interval(ofWeek: query.string("week")) else {
                throw APIError(.badRequest, "The week must look like 2025-W07.")
            }
            // The month the week ends in (a week that straddles two months shows the newer one).
            let lastDay = reports.calendar.date(byAdding: .day, value: -1, to: interval.end) ?? interval.end
            let monthName = query.string("month") ?? ReportRules.monthName(containing: lastDay, calendar: reports.calendar)
            guard reports.interval(ofMonth: monthName) != nil else {
                throw APIError(.badRequest, "The month must look like 2025-07.")
            }
            let report = try await reports.weekly(week)
            let patterns = try await reports.conflicts(monthName)
            let calendar = reports.calendar
            func weekName(_ offset: Int) -> String {
                ReportRules.weekName(containing: calendar.date(byAdding: .day, value: 7 * offset, to: interval.start)!,
                                     calendar: calendar)
            }
            let model = ReportsPage(
                layout: await pages.layout("Reports", section: "/reports", request: request, context: context),
                week: week, rangeText: "\(Self.day(interval.start, calendar)) to \(Self.day(lastDay, calendar))",
                previousWeek: weekName(-1), nextWeek: weekName(1), cards: Self.cards(report),
                statuses: WebhookStatus.allCases.map { Count(label: $0.rawValue, count: report.webhooks[$0.rawValue] ?? 0) },
                failures: report.failures.map { Count(label: $0.reason, count: $0.count) },
                hasFailures: !report.failures.isEmpty, month: patterns.month, conflictCount: patterns.conflicts,
                titles: patterns.titles.map { title in
                    TitleRow(title: title.plexTitle + (title.plexYear.map { " (\($0))" } ?? ""), count: title.count,
                             reasonsText: title.reasons.map { "\(Self.reasonLabels[$0.reason] ?? $0.reason) \($0.count)" }
                                .joined(separator: ", "))
                },
                hasTitles: !patterns.titles.isEmpty,
                reasons: patterns.reasons.map { Count(label: Self.reasonLabels[$0.reason] ?? $0.reason, count: $0.count) })
            return pages.render("reports", model, request: request)
        }
    }

    static func cards(_ report: WeeklyReport) -> [DashboardPages.StatCard] {
        let received = report.webhooks.values.reduce(0, +)
        return [
            .init(label: "Webhooks", value: "\(received)", note: "received this week", href: nil),
            .init(label: "Sync success", value: report.syncSuccessRate.map(WeeklyReport.percent) ?? "—",
                  note: "\(report.webhooks["success"] ?? 0) synced, \(report.webhooks["failed"] ?? 0) failed", href: nil),
            .init(label: "Episodes marked", value: "\(report.episodesMarked)", note: "watched this week, synced", href: nil),
            .init(label: "Shows added", value: "\(report.showsAdded)", note: "to the tracker", href: nil),
            .init(label: "Conflicts", value: "\(report.conflictsRaised) raised",
                  note: "\(report.conflictsResolved) resolved", href: "/conflicts"),
            .init(label: "Time to resolve", value: report.resolutionMinutes.median.map(WeeklyReport.minutes) ?? "—",
                  note: report.resolutionMinutes.p90.map { "median; 90% within \(WeeklyReport.minutes($0))" }
                      ?? "median, over conflicts resolved this week", href: nil),
            .init(label: "Auto-mapping accuracy", value: report.autoMapAccuracy.map(WeeklyReport.percent) ?? "—",
                  note: "automatic mappings no one had to change", href: "/mappings"),
        ]
    }

    private static func day(_ date: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
