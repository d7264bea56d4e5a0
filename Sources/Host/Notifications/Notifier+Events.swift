import Foundation
import Matchers
import Storage

/// The notifications of the daemon's events, worded once.
extension Notifier {
    /// A conflict raised for a Plex show: its title and the best candidate. At most one per
    /// mapping per `window` (an hour by default).
    func conflictRaised(_ conflict: PlexConflict, best: RankedCandidate?) async {
        let year = conflict.plexYear.map { " (\($0))" } ?? ""
        var data = ["plex_title": conflict.plexTitle, "conflict_id": "\(conflict.id)",
                    "mapping_id": "\(conflict.mappingID)"]
        let candidate: String
        if let best {
            let bestYear = best.year.map { " (\($0))" } ?? ""
            candidate = "Best candidate: \(best.title)\(bestYear) at \(String(format: "%.2f", best.confidence))."
            data["top_candidate"] = best.title
            data["top_confidence"] = String(format: "%.2f", best.confidence)
        } else {
            candidate = "No show in the tracker looks like it."
        }
        await post(
            NotificationMessage(
                event: .conflict, title: "Which show is \(conflict.plexTitle)\(year)?",
                message: "Showmatch is not sure which show Plex means. \(candidate) Choose it once and it is remembered.",
                url: publicBaseURL + "/conflicts#conflict-\(conflict.id)", data: data),
            dedupeKey: "conflict:mapping:\(conflict.mappingID)", window: conflictWindow)
    }

    /// A webhook that failed for good (its retries used up, or unreadable).
    func webhookFailed(_ log: WebhookLog, error: String) async {
        let title = log.plexTitle ?? log.event ?? "a webhook"
        await post(NotificationMessage(
            event: .failed, title: "A webhook failed: \(title)",
            message: "Webhook \(log.id) (\(log.event ?? "unknown event")) failed after \(log.attempts) attempt"
                + "\(log.attempts == 1 ? "" : "s"): \(ReportRules.failureReason(error)). Retry it from the activity page.",
            url: publicBaseURL + "/activity/\(log.id)",
            data: ["webhook_id": "\(log.id)", "event": log.event ?? "", "plex_title": log.plexTitle ?? "",
                   "attempts": "\(log.attempts)"]))
    }

    /// A show added to the tracker automatically (auto-add).
    func showAdded(_ show: Show, plexTitle: String) async {
        let year = show.year.map { " (\($0))" } ?? ""
        await post(NotificationMessage(
            event: .showAdded, title: "Added \(show.title)\(year)",
            message: "\(show.title)\(year) was added to the tracker from TMDB because Plex reported \(plexTitle).",
            url: publicBaseURL + "/shows/\(show.id)",
            data: ["show_id": "\(show.id)", "title": show.title, "tmdb_id": show.tmdbID.map(String.init) ?? ""]))
    }

    /// An alert that started or stopped firing.
    func alertChanged(_ reading: AlertReading) async {
        let label = AlertMonitor.label(reading.name)
        await post(NotificationMessage(
            event: .alert, title: reading.firing ? "Alert: \(label)" : "Resolved: \(label)",
            message: reading.summary + ".", url: publicBaseURL + "/",
            data: ["alert": reading.name.rawValue, "state": reading.firing ? "firing" : "resolved",
                   "value": reading.value.map { String($0) } ?? ""]))
    }

    /// The weekly report, once per reported week.
    func weeklyReport(_ report: WeeklyReport) async {
        await post(
            NotificationMessage(
                event: .weeklyReport, title: "Showmatch week \(report.week)", message: report.summary,
                url: publicBaseURL + "/reports?week=\(report.week)", data: report.notificationData),
            dedupeKey: "weekly_report:\(report.week)", window: 14 * 86_400)
    }
}
