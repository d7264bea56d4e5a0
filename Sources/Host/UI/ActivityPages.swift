import Foundation
import Hummingbird
import Storage

/// `/activity`: every webhook, newest first, 50 a page, filtered by status; `/activity/{id}`
/// shows one with its error and payload.
struct ActivityPages: Sendable {
    let pages: PageKit

    /// The activity list's model.
    struct ActivityPage: Sendable {
        var layout: PageLayout
        var filters: [FilterOption]
        var filterName: String?
        var rows: [Row]
        var hasRows: Bool
        var total: Int
        var paging: Paging.Links
        /// Offers "Retry all failed" (on the failed filter).
        var showRetryAll = false
    }

    /// One choice of the status filter.
    struct FilterOption: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    /// One webhook in the list.
    struct Row: Sendable {
        var id: Int64
        var whenText: String
        var event: String
        var title: String
        var status: String
        var failed: Bool
        var message: String
        var processingText: String
    }

    /// One webhook in full.
    struct DetailPage: Sendable {
        var layout: PageLayout
        var row: Row
        var attempts: Int
        var serverUUID: String
        var accountID: String
        var ratingKey: String
        var completedText: String
        var nextAttemptText: String?
        var mappingID: Int64?
        var conflictID: Int64?
        var payload: String
        /// A failed webhook that went through the inbox can be retried by hand (`RetryRules`).
        var canRetry = false
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("activity") { request, context -> Response in
            let asked = request.uri.queryParameters["status"].map(String.init) ?? ""
            let status = WebhookStatus(rawValue: asked)
            var paging = Paging(request: request, base: status.map { "/activity?status=\($0.rawValue)" } ?? "/activity")
            let page = try await pages.store.webhookLogs(
                WebhookLogFilter(status: status, limit: Paging.pageSize, offset: paging.offset))
            paging.total = page.total
            if let first = paging.firstPageIfPastTheEnd { return .redirectToPage(first) }
            let filters = [FilterOption(value: "", label: "All statuses", selected: status == nil)]
                + WebhookStatus.allCases.map {
                    FilterOption(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == status)
                }
            var model = ActivityPage(
                layout: await pages.layout("Activity", section: "/activity", request: request, context: context),
                filters: filters, filterName: status?.rawValue, rows: page.items.map(Self.row), hasRows: !page.items.isEmpty,
                total: page.total,
                paging: paging.links)
            model.showRetryAll = status == .failed && page.total > 0
            return pages.render("activity", model, request: request)
        }
        group.get("activity/:id") { request, context -> Response in
            let id = try context.id()
            guard let log = try await pages.store.webhookLog(id: id) else { throw APIError(.notFound, "There is no webhook \(id).") }
            var model = DetailPage(
                layout: await pages.layout("Webhook \(id)", section: "/activity", request: request, context: context),
                row: Self.row(log), attempts: log.attempts, serverUUID: log.serverUUID ?? "—",
                accountID: log.accountID ?? "—", ratingKey: log.ratingKey ?? "—",
                completedText: log.completedAt.map(DisplayFormat.dateTime) ?? "not yet",
                nextAttemptText: log.nextAttemptAt.map(DisplayFormat.dateTime), mappingID: log.mappingID,
                conflictID: log.conflictID, payload: Self.pretty(SecretRedactor.redact(log.rawPayload)))
            model.canRetry = RetryRules.canRetry(log)
            return pages.render("activity-detail", model, request: request)
        }
    }

    static func row(_ log: WebhookLog) -> Row {
        Row(
            id: log.id, whenText: DisplayFormat.dateTime(log.createdAt), event: log.event ?? "—",
            title: log.plexTitle ?? "—", status: log.status.rawValue, failed: log.status == .failed,
            message: log.errorMessage ?? "", processingText: DisplayFormat.milliseconds(log.processingMs))
    }

    /// The payload indented for reading; as received when it is not JSON.
    static func pretty(_ text: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
              let data = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        else { return text }
        return String(decoding: data, as: UTF8.self)
    }
}
