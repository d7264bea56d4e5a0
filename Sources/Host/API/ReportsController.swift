import Foundation
import Hummingbird
import Storage

/// `GET /api/reports/weekly?week=YYYY-Www`, `GET /api/reports/conflicts?month=YYYY-MM`,
/// `GET /api/alerts` (every alert as last evaluated).
struct ReportsController {
    let reports: ReportService
    let alerts: AlertMonitor

    struct AlertView: Encodable, Sendable {
        var alert: String
        var firing: Bool
        var value: Double?
        var summary: String
    }

    func addRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("reports/weekly") { request, _ -> WeeklyReport in
            let week = QueryParameters(request: request).string("week")
            guard reports.interval(ofWeek: week) != nil else {
                throw APIError(.badRequest, "must be an ISO week like 2025-W07", field: "week")
            }
            return try await reports.weekly(week)
        }
        group.get("reports/conflicts") { request, _ -> ConflictReport in
            let month = QueryParameters(request: request).string("month")
            guard reports.interval(ofMonth: month) != nil else {
                throw APIError(.badRequest, "must be a month like 2025-07", field: "month")
            }
            return try await reports.conflicts(month)
        }
        group.get("alerts") { _, _ -> ListResponse<AlertView> in
            let readings = alerts.lastReadings
            return ListResponse(
                items: readings.map { AlertView(alert: $0.name.rawValue, firing: $0.firing, value: $0.value,
                                                summary: $0.summary) },
                total: readings.count)
        }
    }
}

extension WeeklyReport: ResponseEncodable {}
extension ConflictReport: ResponseEncodable {}
