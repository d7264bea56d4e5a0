import Foundation
import Hummingbird
import Storage

/// `/` and `/dashboard`: sync stats and three charts drawn on the server.
struct DashboardPages: Sendable {
    let pages: PageKit
    /// For the first-run card ("Import your Plex library").
    var firstRun: PlexFirstRun?

    /// The dashboard's model. The `…Chart` fields are SVG made by `SVGCharts`, which escapes
    /// every text it draws; they are the only unescaped output of any template.
    struct DashboardPage: Sendable {
        var layout: PageLayout
        var cards: [StatCard]
        var hasWebhooks: Bool
        var webhooksChart: String
        var webhookLegend: [LegendItem]
        var webhookTable: [DayRow]
        var hasMappings: Bool
        var mappingChart: String
        var mappingLegend: [LegendItem]
        var hasWatched: Bool
        var watchedChart: String
        var watchedLinks: [WatchedLink]
        /// The first-run card, until a first import is done.
        var firstRun: PlexConnectCard? = nil
    }

    /// A headline number.
    struct StatCard: Sendable {
        var label: String
        var value: String
        var note: String
        var href: String?
    }

    /// A chart legend entry.
    struct LegendItem: Sendable {
        var label: String
        var value: Int
        var colorClass: String
        /// "(40%)" for a share of a whole; nil otherwise.
        var share: String?
    }

    /// One day of the webhook chart, as a table row for those who do not see the chart.
    struct DayRow: Sendable {
        var date: String
        var counts: [Int]
    }

    /// A link to a most-watched show.
    struct WatchedLink: Sendable {
        var id: Int64
        var title: String
        var episodes: Int
    }

    /// The statuses the webhook chart stacks, in order, with their colour classes.
    static let chartStatuses: [(WebhookStatus, String)] = [
        (.success, "s-success"), (.conflict, "s-conflict"), (.failed, "s-failed"), (.ignored, "s-ignored"),
        (.duplicate, "s-duplicate"), (.received, "s-pending"), (.processing, "s-pending"),
    ]

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("/") { request, context in try await dashboard(request, context) }
        group.get("dashboard") { request, context in try await dashboard(request, context) }
    }

    private func dashboard(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let switcher = try await UserSwitcher.resolve(request: request, context: context, store: pages.store)
        let stats = try await DashboardStats.load(store: pages.store, userID: switcher.userID)
        var model = Self.model(
            stats, layout: await pages.layout("Dashboard", section: "/", request: request, context: context))
        if let firstRun, context.role == .admin {
            let card = await PlexConnectCard.load(firstRun: firstRun, csrf: context.csrfToken ?? "")
            model.firstRun = card.neverImported || card.latest?.running == true ? card : nil
        }
        return pages.render("dashboard", model, request: request)
    }

    static func model(_ stats: DashboardStats, layout: PageLayout) -> DashboardPage {
        let success = stats.statusTotals[.success] ?? 0
        let failed = stats.statusTotals[.failed] ?? 0
        // Ignored and duplicate webhooks were never meant to sync; conflicts are still waiting.
        let attempted = success + failed
        let rate = attempted == 0 ? "—" : "\(DisplayFormat.percent(Double(success) / Double(attempted)))%"
        let mapped = stats.autoMapped + stats.mappedByHand
        let cards = [
            StatCard(label: "Webhooks received", value: "\(stats.totalWebhooks)",
                     note: "\(stats.inboxDepth) waiting in the inbox", href: "/activity"),
            StatCard(label: "Sync success", value: rate, note: "\(success) synced, \(failed) failed",
                     href: "/activity?status=success"),
            StatCard(label: "Failed", value: "\(failed)", note: "webhooks that could not be used",
                     href: "/activity?status=failed"),
            StatCard(label: "Average processing", value: DisplayFormat.milliseconds(stats.averageProcessingMs),
                     note: "over the last 14 days", href: nil),
            StatCard(label: "Mapped shows", value: "\(mapped)", note: "\(stats.autoMapped) automatically",
                     href: "/mappings"),
            StatCard(label: "Open conflicts", value: "\(stats.openConflicts)",
                     note: stats.openConflicts == 0 ? "everything is mapped" : "waiting for you", href: "/conflicts"),
        ]
        let columns = stats.days.map { day in
            SVGCharts.Column(
                label: String(day.date.dropFirst(5)),
                segments: chartStatuses.map { SVGCharts.Segment(label: $0.0.rawValue, value: day.counts[$0.0] ?? 0,
                                                                colorClass: $0.1) })
        }
        let recent = stats.days.reduce(0) { $0 + $1.counts.values.reduce(0, +) }
        let legend = chartStatuses.filter { $0.0 != .processing }.map { status, color in
            LegendItem(
                label: status == .received ? "waiting" : status.rawValue,
                value: stats.days.reduce(0) { $0 + ($1.counts[status] ?? 0)
                    + (status == .received ? ($1.counts[.processing] ?? 0) : 0) },
                colorClass: color)
        }
        let shares = [
            SVGCharts.Segment(label: "auto-mapped", value: stats.autoMapped, colorClass: "s-success"),
            SVGCharts.Segment(label: "mapped by hand", value: stats.mappedByHand, colorClass: "s-hand"),
            SVGCharts.Segment(label: "conflict", value: stats.conflicts, colorClass: "s-conflict"),
            SVGCharts.Segment(label: "ignored", value: stats.ignored, colorClass: "s-ignored"),
            SVGCharts.Segment(label: "unmapped", value: stats.unmapped, colorClass: "s-pending"),
        ]
        let mappingTotal = shares.reduce(0) { $0 + $1.value }
        let watched = stats.mostWatched.map {
            SVGCharts.Segment(label: $0.title, value: $0.episodes, colorClass: "s-success")
        }
        return DashboardPage(
            layout: layout, cards: cards, hasWebhooks: recent > 0,
            webhooksChart: SVGCharts.stackedColumns(
                columns, summary: "Webhooks per day over the last \(stats.days.count) days, by status: "
                    + legend.map { "\($0.value) \($0.label)" }.joined(separator: ", ")),
            webhookLegend: legend,
            webhookTable: stats.days.reversed().filter { !$0.counts.isEmpty }.map { day in
                DayRow(date: day.date, counts: legend.map { item in
                    chartStatuses.filter { ($0.0 == .received || $0.0 == .processing) ? item.label == "waiting"
                        : $0.0.rawValue == item.label }.reduce(0) { $0 + (day.counts[$1.0] ?? 0) }
                })
            },
            hasMappings: mappingTotal > 0,
            mappingChart: SVGCharts.shareBar(
                shares, summary: "Plex shows: " + shares.map { "\($0.value) \($0.label)" }.joined(separator: ", ")),
            mappingLegend: shares.map {
                LegendItem(label: $0.label, value: $0.value, colorClass: $0.colorClass,
                           share: mappingTotal == 0 ? nil
                               : "(\(DisplayFormat.percent(Double($0.value) / Double(mappingTotal)))%)")
            },
            hasWatched: !watched.isEmpty,
            watchedChart: SVGCharts.horizontalBars(
                watched, summary: "Most-watched shows: "
                    + watched.map { "\($0.label), \($0.value) episodes" }.joined(separator: "; ")),
            watchedLinks: stats.mostWatched.map { WatchedLink(id: $0.showID, title: $0.title, episodes: $0.episodes) })
    }
}
