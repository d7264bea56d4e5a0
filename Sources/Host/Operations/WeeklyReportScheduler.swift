import Foundation
import Logging
import ServiceLifecycle
import Storage
import Synchronization

/// Sends the weekly report to the channels that chose `weekly_report`, at the schedule's moment
/// (Monday 08:00 local time by default): the report of the ISO week that just ended, once. It
/// looks every minute; a daemon that was down at the moment sends it when it is back, up to a
/// day late. The outbox's key (`weekly_report:<week>`) keeps it to once across restarts.
final class WeeklyReportScheduler: Service, Sendable {
    let store: any Store
    let reports: ReportService
    let notifier: Notifier
    let schedule: WeeklySchedule
    let logger: Logger
    let checkEvery: Duration
    private let sent = Mutex<Set<String>>([])

    init(
        store: any Store, reports: ReportService, notifier: Notifier, schedule: WeeklySchedule, logger: Logger,
        checkEvery: Duration = .seconds(60)
    ) {
        self.checkEvery = checkEvery
        self.store = store
        self.reports = reports
        self.notifier = notifier
        self.schedule = schedule
        self.logger = logger
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await self.check(now: Date())
                try? await Task.sleep(for: self.checkEvery)
            }
        }
    }

    /// Posts the report due at `now`, if one is; returns its week.
    @discardableResult
    func check(now: Date) async -> String? {
        guard let moment = ReportRules.lastScheduled(schedule, atOrBefore: now, calendar: reports.calendar),
              now.timeIntervalSince(moment) < 86_400
        else { return nil }
        let week = ReportRules.reportedWeek(sentAt: moment, calendar: reports.calendar)
        guard !sent.withLock({ $0.contains(week) }) else { return nil }
        do {
            let channels = try await store.channels()
            guard !NotificationRules.subscribers(of: .weeklyReport, among: channels).isEmpty else { return nil }
            let report = try await reports.weekly(week, now: now)
            await notifier.weeklyReport(report)
            sent.withLock { _ = $0.insert(week) }
            logger.info("weekly report posted", metadata: ["week": "\(week)"])
            return week
        } catch {
            logger.warning("cannot make the weekly report", metadata: ["week": "\(week)", "error": "\(error)"])
            return nil
        }
    }
}
