import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Storage

/// The daemon's operations side, assembled beside the inbox: the notifier every part posts to,
/// the services that deliver notifications, evaluate alerts and send the weekly report, and
/// the services the API and pages use for channels, reports and retries by hand.
struct OperationsParts: Sendable {
    let notifier: Notifier
    let deliverer: NotificationDeliverer
    let alerts: AlertMonitor
    let scheduler: WeeklyReportScheduler?
    let channels: NotificationChannelService
    let reports: ReportService
    let retries: WebhookRetryService

    static func assemble(
        configuration: AppConfiguration, store: any Store, sealer: TokenSealer?, metrics: ShowmatchMetrics,
        tmdbCircuit: CircuitBreaker?, doorbell: InboxDoorbell, logger: Logger
    ) -> OperationsParts {
        let options = configuration.operations
        let notifier = Notifier(publicBaseURL: configuration.publicBaseURL,
                                conflictWindow: options.conflictNotificationWindow)
        let sender = NotificationSender(timeout: options.deliveryTimeout, allowedHosts: options.allowedNotificationHosts)
        let reports = ReportService(store: store)
        return OperationsParts(
            notifier: notifier,
            deliverer: NotificationDeliverer(
                store: store, notifier: notifier, sealer: sealer, sender: sender, policy: options.delivery,
                logger: logger, retention: options.deliveryRetention),
            alerts: AlertMonitor(
                store: store, thresholds: options.thresholds, interval: options.alertInterval, metrics: metrics,
                tmdbCircuit: tmdbCircuit, notifier: notifier, logger: logger),
            scheduler: options.weeklyReport.map {
                WeeklyReportScheduler(store: store, reports: reports, notifier: notifier, schedule: $0, logger: logger)
            },
            channels: NotificationChannelService(
                store: store, sealer: sealer, sender: sender, publicBaseURL: configuration.publicBaseURL),
            reports: reports,
            retries: WebhookRetryService(store: store, doorbell: doorbell))
    }

    /// The services that run beside the server: `others` (the inbox workers...), then these.
    func services(besides others: [any Service]) -> [any Service] {
        others + [deliverer, alerts] + (scheduler.map { [$0] } ?? [])
    }

    /// The API routes (for admins).
    func addRoutes(to api: RouterGroup<AppRequestContext>) {
        NotificationsController(service: channels).addRoutes(to: api.group("api/notifications"))
        ReportsController(reports: reports, alerts: alerts).addRoutes(to: api.group("api"))
        LogRetryController(service: retries).addRoutes(to: api.group("api/plex/logs"))
    }
}
